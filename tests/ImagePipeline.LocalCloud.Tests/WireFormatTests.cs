using System.Security.Cryptography;
using System.Text;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.S3;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>The decoders the SDK's wire formats need, checked against the formats' own definitions.</summary>
public sealed class WireFormatTests
{
    [Theory]
    [InlineData("CRC32", "cbf43926")]
    [InlineData("CRC32C", "e3069283")]
    [InlineData("CRC64NVME", "ae8b14860a799888")]
    public void The_crcs_give_the_standard_check_values_for_123456789(string algorithm, string expectedHex)
    {
        var crc = Crc.For(algorithm)!;
        crc.Append("123456789"u8);

        Convert.ToHexStringLower(crc.Result()).Should().Be(expectedHex);
    }

    [Fact]
    public async Task An_unsigned_aws_chunked_body_with_a_trailer_decodes_to_its_data_and_trailers()
    {
        var body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
        var reader = new ChunkedBodyReader(new MemoryStream(Encoding.ASCII.GetBytes(body)));
        using var output = new MemoryStream();

        var length = await reader.CopyDecodedAsync((chunk, ct) => output.WriteAsync(chunk, ct), CancellationToken.None);

        length.Should().Be(11);
        Encoding.ASCII.GetString(output.ToArray()).Should().Be("hello world");
        reader.Trailers["x-amz-checksum-crc32"].Should().Be("DUoRhQ==");
    }

    [Fact]
    public async Task A_signed_chunk_whose_signature_does_not_chain_from_the_seed_is_signature_does_not_match()
    {
        var signing = new ChunkSigningContext(RandomNumberGenerator.GetBytes(32), "20261126T120000Z", "20261126/us-east-1/s3/aws4_request", new string('a', 64));
        var body = $"5;chunk-signature={new string('b', 64)}\r\nhello\r\n0;chunk-signature={new string('c', 64)}\r\n\r\n";
        var reader = new ChunkedBodyReader(new MemoryStream(Encoding.ASCII.GetBytes(body)), signing);

        var act = () => reader.CopyDecodedAsync((_, _) => ValueTask.CompletedTask, CancellationToken.None);

        (await act.Should().ThrowAsync<AwsServiceException>()).Which.Code.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_body_that_ends_inside_a_chunk_is_an_incomplete_body()
    {
        var reader = new ChunkedBodyReader(new MemoryStream(Encoding.ASCII.GetBytes("10\r\nshort")));

        var act = () => reader.CopyDecodedAsync((_, _) => ValueTask.CompletedTask, CancellationToken.None);

        (await act.Should().ThrowAsync<AwsServiceException>()).Which.Code.Should().Be("IncompleteBody");
    }
}
