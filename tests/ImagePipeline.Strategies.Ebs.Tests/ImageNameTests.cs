using ImagePipeline.Strategies.Ebs.Images;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class ImageNameTests
{
    [Fact]
    public void A_temporary_name_stays_within_the_128_characters_aws_allows()
    {
        var name = TemporaryImageName.For(new string('n', 128), "20261126-210000-abcdef");

        name.Should().HaveLength(128).And.EndWith("(imagepipeline 20261126-210000-abcdef)");
    }
}
