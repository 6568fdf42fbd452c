using System.Xml.Linq;
using ImagePipeline.LocalCloud.Ec2.KeyPairs;
using ImagePipeline.LocalCloud.Ec2.Network;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>EC2 over the Query protocol: POST form Action=…&amp;Version=2016-11-15, XML answers, EC2's error XML.</summary>
internal sealed class Ec2Handler : IServiceHandler
{
    private readonly StateStore _store;
    private readonly TimeProvider _time;
    private readonly InstanceOperations _instances;
    private readonly ImageOperations _images;
    private readonly ImageAttributeOperations _imageAttributes;
    private readonly SnapshotOperations _snapshots;
    private readonly VolumeOperations _volumes;
    private readonly TagOperations _tags;

    public Ec2Handler(StateStore store, LocalCloudOptions options)
    {
        _store = store;
        _time = options.TimeProvider;
        _instances = new InstanceOperations(options);
        _imageAttributes = new ImageAttributeOperations();
        var volumeFiles = new AttachedVolumeFiles(store, options);
        _snapshots = new SnapshotOperations(options, volumeFiles);
        _volumes = new VolumeOperations(options, _snapshots, volumeFiles);
        _images = new ImageOperations(options, new ManifestReader(store), _snapshots);
        _tags = new TagOperations();
        Bundles = new BundleOperations(store, options);
    }

    public string Service => "ec2";

    public BundleOperations Bundles { get; }

    public async Task<string> ResolveOperationAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType)
        {
            return context.Request.Query["Action"].ToString();
        }

        return (await context.Request.ReadFormAsync(cancellationToken))["Action"].ToString();
    }

    public async Task HandleAsync(HttpContext context, CallerContext caller, string operation, CancellationToken cancellationToken)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : new FormCollection([]);
        var query = new QueryParameters(form);
        if (string.IsNullOrEmpty(operation))
        {
            throw Ec2Errors.Error("MissingAction", "The request must contain the parameter Action");
        }

        XElement response;
        using (_store.Transaction())
        {
            var now = _time.GetUtcNow();
            var call = new Ec2Call(query, caller, _store.State, InstanceFactory.Region(_store.State, caller.Region, now), now);
            if (query.Bool("DryRun"))
            {
                // Every caller here holds every permission, so a dry run always "would have succeeded".
                throw new AwsServiceException(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
            }

            response = Dispatch(operation, call);
            if (!operation.StartsWith("Describe", StringComparison.Ordinal))
            {
                _store.Save();
            }
        }

        await XmlResponse.WriteAsync(context, response, 200, cancellationToken);
    }

    private XElement Dispatch(string action, Ec2Call call) => action switch
    {
        "DescribeRegions" => RegionOperations.DescribeRegions(call),
        "DescribeAvailabilityZones" => RegionOperations.DescribeAvailabilityZones(call),
        "DescribeInstances" => _instances.Describe(call),
        "RunInstances" => _instances.Run(call),
        "DescribeInstanceStatus" => _instances.DescribeStatus(call),
        "StopInstances" => _instances.Stop(call),
        "StartInstances" => _instances.Start(call),
        "TerminateInstances" => _instances.Terminate(call, _volumes.DetachKeptVolumes),
        "DescribeVolumes" => _snapshots.DescribeVolumes(call),
        "CreateVolume" => _volumes.Create(call),
        "AttachVolume" => _volumes.Attach(call),
        "DetachVolume" => _volumes.Detach(call),
        "DeleteVolume" => _volumes.Delete(call),
        "CreateSnapshot" => _volumes.CreateSnapshot(call),
        "DescribeSnapshots" => _snapshots.DescribeSnapshots(call),
        "DeleteSnapshot" => _snapshots.DeleteSnapshot(call),
        "CreateImage" => _images.CreateImage(call),
        "RegisterImage" => _images.RegisterImage(call),
        "DescribeImages" => _images.DescribeImages(call),
        "DeregisterImage" => _images.DeregisterImage(call),
        "CopyImage" => _images.CopyImage(call),
        "ModifyImageAttribute" => _imageAttributes.Modify(call),
        "DescribeImageAttribute" => _imageAttributes.Describe(call),
        "EnableImageDeprecation" => _imageAttributes.EnableDeprecation(call),
        "CreateTags" => _tags.Create(call),
        "DescribeTags" => _tags.Describe(call),
        "CreateKeyPair" => KeyPairOperations.Create(call),
        "ImportKeyPair" => KeyPairOperations.Import(call),
        "DescribeKeyPairs" => KeyPairOperations.Describe(call),
        "DeleteKeyPair" => KeyPairOperations.Delete(call),
        "DescribeVpcs" => NetworkOperations.DescribeVpcs(call),
        "DescribeSubnets" => NetworkOperations.DescribeSubnets(call),
        "CreateSecurityGroup" => SecurityGroupOperations.Create(call),
        "AuthorizeSecurityGroupIngress" => SecurityGroupOperations.AuthorizeIngress(call),
        "DescribeSecurityGroups" => SecurityGroupOperations.Describe(call),
        "DeleteSecurityGroup" => SecurityGroupOperations.Delete(call),
        "DescribeInstanceTypes" => InstanceTypeOperations.Describe(call),
        "BundleInstance" => Bundles.BundleInstance(call),
        "DescribeBundleTasks" => Bundles.Describe(call),
        "CancelBundleTask" => Bundles.Cancel(call),
        _ => throw Ec2Errors.Error("InvalidAction", $"The action {action} is not valid for this web service."),
    };

    public Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId, CancellationToken cancellationToken)
    {
        // EC2's error document has no namespace and spells the id RequestID.
        var root = new XElement(
            "Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
            new XElement("RequestID", requestId));
        return XmlResponse.WriteAsync(context, root, error.StatusCode, cancellationToken);
    }

    public AwsServiceException UnknownAccessKey() =>
        Ec2Errors.AuthFailure("AWS was not able to validate the provided access credentials");

    public AwsServiceException MissingAuthentication() =>
        Ec2Errors.AuthFailure("AWS was not able to validate the provided access credentials");

    public AwsServiceException SignatureMismatch() =>
        Ec2Errors.AuthFailure("AWS was not able to validate the provided access credentials");

    public AwsServiceException RequestExpired(string requestTime, string serverTime, bool presigned) =>
        Ec2Errors.Error("RequestExpired", $"Request has expired. Timestamp date is {requestTime}, server time is {serverTime}.");

    public AwsServiceException Throttled() => new(503, "RequestLimitExceeded", "Request limit exceeded.");

    public AwsServiceException InternalError() => new(500, "InternalError", "An internal error has occurred");
}
