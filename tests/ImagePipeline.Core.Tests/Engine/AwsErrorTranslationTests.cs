using System.Net;
using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Core.Tests.Engine;

public sealed class AwsErrorTranslationTests : IAsyncLifetime
{
    private readonly EngineFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    public static TheoryData<string, HttpStatusCode, string> Causes => new()
    {
        { "UnauthorizedOperation", HttpStatusCode.Forbidden, "grant the missing permission to the role or user, then run again with --resume." },
        { "AccessDenied", HttpStatusCode.Forbidden, "grant the missing permission to the role or user, then run again with --resume." },
        { "RequestLimitExceeded", HttpStatusCode.ServiceUnavailable, "raise --max-attempts (or use --retry-mode adaptive) and run again with --resume." },
        { "SlowDown", HttpStatusCode.ServiceUnavailable, "raise --max-attempts (or use --retry-mode adaptive) and run again with --resume." },
        { "InternalError", HttpStatusCode.InternalServerError, "This is an error on AWS's side: run again with --resume." },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public async Task An_aws_error_escaping_a_step_reaches_the_user_as_one_sentence_with_the_step_the_code_and_the_fix(string code, HttpStatusCode status, string fix)
    {
        _fixture.Script.FailingStep = nameof(BundleStep);
        _fixture.Script.Failure = new AmazonServiceException("AWS said no.\nReally.", ErrorType.Sender, code, "request-1", status);

        var result = await _fixture.RunAsync("RegisterImage", []);

        result.Outcome.Should().Be(RunOutcome.Failed);
        var failure = result.Failure.Should().BeOfType<PipelineException>().Subject;
        failure.Message.Should().StartWith($"Bundle step failed: AWS said no. Really ({code}).").And.EndWith(fix).And.NotContain("\n");
        failure.InnerException.Should().BeOfType<AmazonServiceException>();
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Note.Should().Be(failure.Message);
    }

    [Fact]
    public async Task An_aws_error_the_user_can_only_fix_in_the_request_gets_no_made_up_hint()
    {
        _fixture.Script.FailingStep = nameof(UploadStep);
        _fixture.Script.Failure = new AmazonServiceException("The image id 'ami-1' is malformed.", ErrorType.Sender, "InvalidAMIID.Malformed", "request-1", HttpStatusCode.BadRequest);

        var result = await _fixture.RunAsync("RegisterImage", []);

        result.Failure!.Message.Should().Be("Upload step failed: The image id 'ami-1' is malformed (InvalidAMIID.Malformed).");
    }

    [Fact]
    public async Task An_aws_error_without_an_answer_is_left_as_it_is_for_the_hosts_unreachable_line()
    {
        var unreachable = new AmazonServiceException("An error occurred while sending the request.", new HttpRequestException("Connection refused"));
        _fixture.Script.FailingStep = nameof(UploadStep);
        _fixture.Script.Failure = unreachable;

        var result = await _fixture.RunAsync("RegisterImage", []);

        result.Failure.Should().BeSameAs(unreachable);
    }

    [Fact]
    public async Task Each_step_logs_under_its_own_type_not_the_engines()
    {
        var result = await _fixture.RunAsync("BundleVolume", []);

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        _fixture.LoggerCategories.Should().Contain([typeof(PrepareStep).FullName!, typeof(CopyStep).FullName!, typeof(BundleStep).FullName!]);
    }

    [Theory]
    [InlineData(typeof(StepEngine), "Step engine")]
    [InlineData(typeof(AwsErrorTranslationTests), "Aws error translation tests")]
    [InlineData(typeof(HTTPStep), "HTTP step")]
    public void A_step_type_reads_as_words(Type type, string words) => AwsErrorTranslation.Describe(type).Should().Be(words);

    private sealed class HTTPStep;
}
