using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Bucket-level S3 operations: create, head, location, delete, list buckets, public access block, encryption, ownership.</summary>
internal sealed class S3BucketOperations(StateStore store, TimeProvider time)
{
    private static readonly XNamespace Ns = S3Xml.Ns;

    /// <summary>What a bucket gets since April 2023: all four Block Public Access settings on.</summary>
    public const string DefaultPublicAccessBlockXml =
        "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>";

    private static readonly string[] ObjectOwnerships = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

    public async Task CreateBucketAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var body = await S3Bodies.ReadAllAsync(context, cancellationToken);
        string? constraint = null;
        if (body.Length > 0)
        {
            var root = S3Xml.ParseBody(body);
            if (root.Name.LocalName != "CreateBucketConfiguration")
            {
                throw S3Errors.MalformedXml();
            }

            constraint = S3Xml.Child(root, "LocationConstraint")?.Value;
        }

        if (!BucketNameRules.IsValid(name))
        {
            throw S3Errors.InvalidBucketName(name);
        }

        var region = ResolveCreationRegion(caller.Region, constraint);
        var ownership = context.Request.Headers["x-amz-object-ownership"].ToString();
        if (ownership.Length == 0)
        {
            ownership = "BucketOwnerEnforced";
        }
        else if (!ObjectOwnerships.Contains(ownership))
        {
            throw S3Errors.InvalidArgument("Invalid x-amz-object-ownership header value", "x-amz-object-ownership", ownership);
        }

        var acl = context.Request.Headers["x-amz-acl"].ToString();
        if (acl.Length > 0 && ownership == "BucketOwnerEnforced" && acl != "private" && acl != "bucket-owner-full-control")
        {
            throw new AwsServiceException(400, "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
        }

        using (store.Transaction())
        {
            if (store.State.Buckets.TryGetValue(name, out var existing))
            {
                if (existing.OwnerAccountId != caller.AccountId)
                {
                    throw new AwsServiceException(409, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
                        .With("BucketName", name);
                }

                // us-east-1 keeps its legacy answer: re-creating your own bucket there succeeds.
                if (!(existing.Region == "us-east-1" && region == "us-east-1"))
                {
                    throw new AwsServiceException(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
                        .With("BucketName", name);
                }
            }
            else
            {
                store.State.Buckets[name] = new BucketRecord
                {
                    Name = name,
                    Region = region,
                    OwnerAccountId = caller.AccountId,
                    CreatedAt = time.GetUtcNow(),
                    ObjectOwnership = ownership,
                    PublicAccessBlockXml = DefaultPublicAccessBlockXml,
                };
                store.Save();
            }
        }

        context.Response.StatusCode = 200;
        context.Response.Headers.Location = "/" + name;
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// The region a new bucket lands in. Outside us-east-1 the body must name the signing region; the us-east-1
    /// endpoint takes no constraint for itself but, like AWS's global endpoint, any other region.
    /// </summary>
    private static string ResolveCreationRegion(string signedRegion, string? constraint)
    {
        if (constraint is "us-east-1" || constraint == "")
        {
            throw new AwsServiceException(400, "InvalidLocationConstraint", "The specified location-constraint is not valid")
                .With("LocationConstraint", constraint);
        }

        if (constraint is not null && !LocalCloudSeedIds.Regions.Contains(constraint) && constraint != "EU")
        {
            throw new AwsServiceException(400, "InvalidLocationConstraint", "The specified location-constraint is not valid")
                .With("LocationConstraint", constraint);
        }

        var target = constraint == "EU" ? "eu-west-1" : constraint;
        if (signedRegion == "us-east-1")
        {
            return target ?? "us-east-1";
        }

        if (target is null)
        {
            throw new AwsServiceException(400, "IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
        }

        if (target != signedRegion)
        {
            throw new AwsServiceException(400, "IllegalLocationConstraintException", $"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.");
        }

        return target;
    }

    public Task HeadBucketAsync(HttpContext context, CallerContext caller, string name)
    {
        using (store.Transaction())
        {
            if (!store.State.Buckets.TryGetValue(name, out var bucket))
            {
                throw S3Errors.NoSuchBucket(name);
            }

            // HeadBucket tells the region even when it redirects or denies, as S3 does.
            context.Response.Headers["x-amz-bucket-region"] = bucket.Region;
            S3BucketAccess.Require(store, context, caller, name);
        }

        context.Response.StatusCode = 200;
        context.Response.Headers["x-amz-access-point-alias"] = "false";
        return Task.CompletedTask;
    }

    public Task GetBucketLocationAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        string region;
        using (store.Transaction())
        {
            // Answered from any region, like AWS: only ownership matters.
            region = S3BucketAccess.Require(store, context, caller, name, checkRegion: false).Region;
        }

        var element = new XElement(Ns + "LocationConstraint");
        if (region != "us-east-1")
        {
            element.Value = region;
        }

        return XmlResponse.WriteAsync(context, element, 200, cancellationToken);
    }

    public Task DeleteBucketAsync(HttpContext context, CallerContext caller, string name)
    {
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, name);
            if (bucket.Objects.Count > 0)
            {
                throw new AwsServiceException(409, "BucketNotEmpty", "The bucket you tried to delete is not empty").With("BucketName", name);
            }

            store.State.Buckets.Remove(name);
            store.Save();
        }

        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public Task ListBucketsAsync(HttpContext context, CallerContext caller, CancellationToken cancellationToken)
    {
        List<BucketRecord> buckets;
        using (store.Transaction())
        {
            buckets = [.. store.State.Buckets.Values.Where(b => b.OwnerAccountId == caller.AccountId)];
        }

        var root = new XElement(
            Ns + "ListAllMyBucketsResult",
            S3Xml.Owner(caller.AccountId),
            new XElement(
                Ns + "Buckets",
                buckets.Select(b => new XElement(
                    Ns + "Bucket",
                    new XElement(Ns + "Name", b.Name),
                    new XElement(Ns + "CreationDate", AwsTime.Iso(b.CreatedAt)),
                    new XElement(Ns + "BucketRegion", b.Region)))));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public async Task PutPublicAccessBlockAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var root = await ReadConfigurationAsync(context, cancellationToken);
        if (root.Name.LocalName != "PublicAccessBlockConfiguration"
            || root.Elements().Any(e => e.Name.LocalName is not ("BlockPublicAcls" or "IgnorePublicAcls" or "BlockPublicPolicy" or "RestrictPublicBuckets") || !bool.TryParse(e.Value, out _)))
        {
            throw S3Errors.MalformedXml();
        }

        var normalized = new XElement(
            Ns + "PublicAccessBlockConfiguration",
            new[] { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" }
                .Select(n => new XElement(Ns + n, (S3Xml.Child(root, n)?.Value ?? "false").ToLowerInvariant())));
        ChangeSetting(context, caller, name, bucket => bucket.PublicAccessBlockXml = normalized.ToString(SaveOptions.DisableFormatting));
    }

    public Task GetPublicAccessBlockAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var xml = ReadSetting(context, caller, name, bucket => bucket.PublicAccessBlockXml);

        if (xml is null)
        {
            throw new AwsServiceException(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found").With("BucketName", name);
        }

        return XmlResponse.WriteAsync(context, XElement.Parse(xml), 200, cancellationToken);
    }

    public async Task PutBucketEncryptionAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var root = await ReadConfigurationAsync(context, cancellationToken);
        var rules = root.Name.LocalName == "ServerSideEncryptionConfiguration" ? S3Xml.Children(root, "Rule").ToList() : [];
        if (rules.Count == 0)
        {
            throw S3Errors.MalformedXml();
        }

        foreach (var rule in rules)
        {
            var byDefault = S3Xml.Child(rule, "ApplyServerSideEncryptionByDefault");
            var algorithm = byDefault is null ? null : S3Xml.Child(byDefault, "SSEAlgorithm")?.Value;
            if (algorithm is not ("AES256" or "aws:kms" or "aws:kms:dsse"))
            {
                throw S3Errors.MalformedXml();
            }

            if (algorithm == "AES256" && S3Xml.Child(byDefault!, "KMSMasterKeyID") is not null)
            {
                throw S3Errors.InvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", "KMSMasterKeyID");
            }
        }

        ChangeSetting(context, caller, name, bucket => bucket.EncryptionXml = root.ToString(SaveOptions.DisableFormatting));
    }

    public Task GetBucketEncryptionAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var xml = ReadSetting(context, caller, name, bucket => bucket.EncryptionXml);

        // Every bucket is encrypted with SSE-S3 unless told otherwise, so the default answers too.
        var root = xml is null
            ? new XElement(
                Ns + "ServerSideEncryptionConfiguration",
                new XElement(
                    Ns + "Rule",
                    new XElement(Ns + "ApplyServerSideEncryptionByDefault", new XElement(Ns + "SSEAlgorithm", "AES256")),
                    new XElement(Ns + "BucketKeyEnabled", "false")))
            : XElement.Parse(xml);
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public async Task PutOwnershipControlsAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var root = await ReadConfigurationAsync(context, cancellationToken);
        var ownership = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "ObjectOwnership")?.Value;
        if (ownership is null || !ObjectOwnerships.Contains(ownership))
        {
            throw S3Errors.MalformedXml();
        }

        ChangeSetting(context, caller, name, bucket => bucket.ObjectOwnership = ownership);
    }

    public Task GetOwnershipControlsAsync(HttpContext context, CallerContext caller, string name, CancellationToken cancellationToken)
    {
        var ownership = ReadSetting(context, caller, name, bucket => bucket.ObjectOwnership);

        var root = new XElement(Ns + "OwnershipControls", new XElement(Ns + "Rule", new XElement(Ns + "ObjectOwnership", ownership)));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    /// <summary>
    /// A bucket-configuration PUT's body, parsed: S3 requires Content-MD5 (or a flexible checksum) on these PUTs.
    /// </summary>
    private static async Task<XElement> ReadConfigurationAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await S3Bodies.ReadAllAsync(context, cancellationToken);
        if (!S3PayloadReader.HasIntegrityHeader(context))
        {
            throw S3Errors.InvalidRequest("Missing required header for this request: Content-MD5");
        }

        S3PayloadReader.CheckContentMd5(context, body);
        return S3Xml.ParseBody(body);
    }

    /// <summary>Changes one setting of the caller's bucket (access and region checked) and saves the state.</summary>
    private void ChangeSetting(HttpContext context, CallerContext caller, string name, Action<BucketRecord> change)
    {
        using (store.Transaction())
        {
            change(S3BucketAccess.Require(store, context, caller, name));
            store.Save();
        }

        context.Response.StatusCode = 200;
    }

    /// <summary>Reads one setting of the caller's bucket (access and region checked).</summary>
    private T ReadSetting<T>(HttpContext context, CallerContext caller, string name, Func<BucketRecord, T> read)
    {
        using (store.Transaction())
        {
            return read(S3BucketAccess.Require(store, context, caller, name));
        }
    }
}
