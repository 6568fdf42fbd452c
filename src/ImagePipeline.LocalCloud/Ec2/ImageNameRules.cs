using System.Text.RegularExpressions;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>AMI names: 3-128 of letters, digits, ( ) [ ] space . / - ' @ _ (InvalidAMIName.Malformed otherwise).</summary>
internal static partial class ImageNameRules
{
    [GeneratedRegex(@"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")]
    private static partial Regex Shape();

    public static void Check(string name)
    {
        if (!Shape().IsMatch(name))
        {
            throw Ec2Errors.Error(
                "InvalidAMIName.Malformed",
                "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'");
        }
    }
}
