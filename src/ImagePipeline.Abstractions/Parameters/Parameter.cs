namespace ImagePipeline.Abstractions;

/// <summary>A typed parameter declaration. Declare it once as a static field and read it with <see cref="IParameterValues.Get{T}(Parameter{T})"/>.</summary>
/// <typeparam name="T">string, int, bool, double, string[], TimeSpan (given in seconds), or an enum (given in kebab-case).</typeparam>
public sealed class Parameter<T> : ParameterDefinition
    where T : notnull
{
    private readonly Func<T, string?>? _validate;

    public Parameter(string name, string description, Func<T, string?>? validate = null)
        : base(name, description)
    {
        var type = typeof(T);
        if (type != typeof(string) && type != typeof(int) && type != typeof(bool) && type != typeof(double)
            && type != typeof(string[]) && type != typeof(TimeSpan) && !type.IsEnum)
        {
            throw new ArgumentException($"Parameter '{name}' has type {type.Name}, which parameters do not support.", nameof(name));
        }

        _validate = validate;
    }

    private readonly T? _default;

    /// <summary>The value when nothing sets it. Without one, the parameter is simply unset (and <see cref="IParameterValues.Get{T}(Parameter{T})"/> throws).</summary>
    public T? Default
    {
        get => _default;
        init
        {
            _default = value;
            HasDefault = value is not null;
        }
    }

    /// <summary>True when a default was declared (a value type's zero is not a default unless declared).</summary>
    public bool HasDefault { get; private init; }

    /// <summary>Shown in <c>--help</c> instead of the default value when the default is computed (for example a timestamp).</summary>
    public string? DefaultDescription { get; init; }

    public override Type ValueType => typeof(T);

    public override bool HasDeclaredDefault => HasDefault;

    public override string? DefaultText =>
        DefaultDescription ?? (!HasDefault ? null : Default switch
        {
            null => null,
            string[] { Length: 0 } => "(none)",
            string[] list => string.Join(',', list),
            bool b => b ? "true" : "false",
            TimeSpan span => ((int)span.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Enum e => KebabCase.From(e.ToString()),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        });

    public override IReadOnlyList<string> AllowedValues =>
        typeof(T).IsEnum ? KebabCase.Names(typeof(T)) : [];

    public override string? ValidateValue(object value) => value is T typed && _validate is not null ? _validate(typed) : null;
}
