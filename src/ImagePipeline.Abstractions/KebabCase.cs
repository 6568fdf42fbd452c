using System.Text;

namespace ImagePipeline.Abstractions;

/// <summary>Converts enum members and property names to the kebab-case words users type (<c>InstanceStore</c> → <c>instance-store</c>).</summary>
public static class KebabCase
{
    public static string From(string pascalCase)
    {
        var builder = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(pascalCase[i - 1]) || char.IsDigit(pascalCase[i - 1]) || (i + 1 < pascalCase.Length && char.IsLower(pascalCase[i + 1]) && char.IsUpper(pascalCase[i - 1]))))
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string From<TEnum>(TEnum value)
        where TEnum : struct, Enum => From(value.ToString());

    /// <summary>Reads an enum member from its kebab-case word or its own name, either without regard to case.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        var found = TryParse(typeof(TEnum), text, out var member);
        value = found ? (TEnum)member! : default;
        return found;
    }

    /// <summary>Reads a member of <paramref name="enumType"/> from its kebab-case word or its own name, either without regard to case.</summary>
    public static bool TryParse(Type enumType, string text, out object? value)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        foreach (var candidate in Enum.GetValues(enumType))
        {
            var name = candidate.ToString()!;
            if (string.Equals(From(name), text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The kebab-case words of every member of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return Enum.GetNames(enumType).Select(From).ToArray();
    }
}
