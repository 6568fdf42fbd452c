namespace ImagePipeline.Bundling.Tests;

public sealed class PartNamingTests
{
    [Theory]
    [InlineData(0, 1, "img.part.0")]
    [InlineData(6, 7, "img.part.6")]
    [InlineData(0, 10, "img.part.00")]
    [InlineData(9, 10, "img.part.09")]
    [InlineData(0, 98, "img.part.00")]
    [InlineData(97, 98, "img.part.97")]
    [InlineData(0, 100, "img.part.000")]
    [InlineData(99, 100, "img.part.099")]
    [InlineData(5, 1000, "img.part.0005")]
    public void Part_names_are_padded_to_the_digits_of_the_part_count(int index, int count, string expected)
    {
        BundleLayout.PartFileName("img", index, count).Should().Be(expected);
    }

    [Fact]
    public void A_part_index_outside_the_count_is_refused()
    {
        var act = () => BundleLayout.PartFileName("img", 3, 3);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
