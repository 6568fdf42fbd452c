using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Canned ACLs: which are valid, which a bucket accepts, and the grants each stands for.</summary>
internal static class CannedAcls
{
    /// <summary>The canonical user EC2 reads bundles as (aws-exec-read), "za-team" in S3's grants.</summary>
    public const string Ec2CanonicalId = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

    private static readonly string[] Valid =
        ["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"];

    /// <summary>
    /// Refuses what S3 refuses: an unknown ACL (InvalidArgument), any ACL but bucket-owner-full-control on a bucket
    /// with ACLs disabled (AccessControlListNotSupported), and a public ACL under BlockPublicAcls (AccessDenied).
    /// </summary>
    public static void Check(BucketRecord bucket, string? acl)
    {
        if (string.IsNullOrEmpty(acl))
        {
            return;
        }

        if (!Valid.Contains(acl))
        {
            throw S3Errors.InvalidArgument("", "x-amz-acl", acl);
        }

        if (bucket.ObjectOwnership == "BucketOwnerEnforced" && acl != "bucket-owner-full-control")
        {
            throw new AwsServiceException(400, "AccessControlListNotSupported", "The bucket does not allow ACLs");
        }

        if (acl is "public-read" or "public-read-write" or "authenticated-read"
            && bucket.PublicAccessBlockXml is { } xml
            && S3Xml.Child(XElement.Parse(xml), "BlockPublicAcls")?.Value == "true")
        {
            throw S3Errors.AccessDenied();
        }
    }

    public static XElement Policy(string ownerAccountId, string? acl)
    {
        var ns = S3Xml.Ns;
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        XElement Grant(XElement grantee, string permission) =>
            new(ns + "Grant", grantee, new XElement(ns + "Permission", permission));
        XElement User(string id, string name) =>
            new(ns + "Grantee", new XAttribute(XNamespace.Xmlns + "xsi", xsi), new XAttribute(xsi + "type", "CanonicalUser"), new XElement(ns + "ID", id), new XElement(ns + "DisplayName", name));
        XElement Group(string uri) =>
            new(ns + "Grantee", new XAttribute(XNamespace.Xmlns + "xsi", xsi), new XAttribute(xsi + "type", "Group"), new XElement(ns + "URI", uri));

        var grants = new List<XElement> { Grant(User(S3Xml.CanonicalId(ownerAccountId), "account-" + ownerAccountId), "FULL_CONTROL") };
        switch (acl)
        {
            case "public-read":
                grants.Add(Grant(Group("http://acs.amazonaws.com/groups/global/AllUsers"), "READ"));
                break;
            case "public-read-write":
                grants.Add(Grant(Group("http://acs.amazonaws.com/groups/global/AllUsers"), "READ"));
                grants.Add(Grant(Group("http://acs.amazonaws.com/groups/global/AllUsers"), "WRITE"));
                break;
            case "authenticated-read":
                grants.Add(Grant(Group("http://acs.amazonaws.com/groups/global/AuthenticatedUsers"), "READ"));
                break;
            case "aws-exec-read":
                grants.Add(Grant(User(Ec2CanonicalId, "za-team"), "READ"));
                break;
        }

        return new XElement(ns + "AccessControlPolicy", S3Xml.Owner(ownerAccountId), new XElement(ns + "AccessControlList", grants));
    }
}
