using ImagePipeline.Abstractions;

namespace ImagePipeline.Abstractions.Tests;

/// <summary>--tags and --snapshot-tags follow EC2's tag rules, checked before anything runs.</summary>
public sealed class TagListTests
{
    public static TheoryData<string, string[], string> RefusedTags => new()
    {
        { "not key=value", ["team"], "is not key=value" },
        { "an empty key", ["=value"], "is not key=value" },
        { "a key given twice", ["a=1", "a=2"], "given twice" },
        { "a key given twice with spaces around it", ["a=1", " a =2"], "given twice" },
        { "an aws: key", ["aws:owner=me"], "aws:" },
        { "an AWS: key in capitals", ["AWS:Owner=me"], "aws:" },
        { "a key of 129 characters", [new string('k', 129) + "=v"], "longer than 128" },
        { "a value of 257 characters", ["k=" + new string('v', 257)], "longer than 256" },
        { "a line break in a value", ["k=two\nlines"], "control character" },
        { "49 tags, with the 2 ImagePipeline adds one more than 50", Enumerable.Range(0, 49).Select(i => $"key{i}=v").ToArray(), "at most 48" },
    };

    [Theory]
    [MemberData(nameof(RefusedTags))]
    public void Tags_ec2_would_refuse_are_refused_in_validation(string @case, string[] items, string expected)
    {
        TagList.Validate(items).Should().NotBeNull(@case).And.Contain(expected, @case);
    }

    [Fact]
    public void Every_problem_is_named_in_one_message()
    {
        var problem = TagList.Validate(["aws:x=1", "a=1", "a=2", "team"]);

        problem.Should().Contain("aws:").And.Contain("given twice").And.Contain("is not key=value");
    }

    public static TheoryData<string, string[]> AcceptedTags => new()
    {
        { "no tags", [] },
        { "an empty value", ["flag="] },
        { "a key of 128 and a value of 256 characters", [new string('k', 128) + "=" + new string('v', 256)] },
        { "characters EC2 takes that other services do not", ["Name=web server (prod) #1"] },
        { "a value with an equals sign", ["query=a=b"] },
        { "aws: inside a key, not at its start", ["team-aws:x=1"] },
        { "48 tags", Enumerable.Range(0, 48).Select(i => $"key{i}=v").ToArray() },
    };

    [Theory]
    [MemberData(nameof(AcceptedTags))]
    public void Tags_ec2_takes_are_accepted(string @case, string[] items)
    {
        TagList.Validate(items).Should().BeNull(@case);
    }
}
