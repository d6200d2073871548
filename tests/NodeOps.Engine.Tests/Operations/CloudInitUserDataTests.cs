using System.Text;

namespace NodeOps.Engine.Tests.Operations;

public sealed class CloudInitUserDataTests
{
    private const string CloudConfig = "#cloud-config\npackages:\n  - nvtop\n";

    [Fact]
    public void Plain_user_data_is_base64_encoded_as_utf8()
    {
        var encoded = CloudInitUserData.Encode(CloudConfig + "# ünïcode\n");

        Assert.Equal(CloudConfig + "# ünïcode\n", Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
    }

    [Fact]
    public void User_data_that_is_already_base64_passes_through_unchanged()
    {
        var once = Convert.ToBase64String(Encoding.UTF8.GetBytes(CloudConfig));
        var script = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\necho hi\n"));
        var mime = Convert.ToBase64String(Encoding.UTF8.GetBytes("Content-Type: multipart/mixed; boundary=x\n"));
        var gzip = Convert.ToBase64String([0x1f, 0x8b, 0x08, 0x00, 0x01]);

        Assert.Equal(once, CloudInitUserData.Encode(once));
        Assert.Equal(once, CloudInitUserData.Encode(" " + once + "\n"));
        Assert.Equal(once, CloudInitUserData.Encode(once[..8] + "\n" + once[8..]));
        Assert.Equal(script, CloudInitUserData.Encode(script));
        Assert.Equal(mime, CloudInitUserData.Encode(mime));
        Assert.Equal(gzip, CloudInitUserData.Encode(gzip));
    }

    [Theory]
    [InlineData("abcd")]
    [InlineData("echo hello")]
    [InlineData("aGVsbG8gd29ybGQ=")]
    public void Text_that_merely_looks_like_base64_is_encoded(string text)
    {
        Assert.False(CloudInitUserData.IsEncodedUserData(text));
        Assert.Equal(text, Encoding.UTF8.GetString(Convert.FromBase64String(CloudInitUserData.Encode(text))));
    }

    [Fact]
    public void A_file_is_encoded_byte_for_byte_including_binary_content()
    {
        var path = Path.GetTempFileName();
        try
        {
            byte[] bytes = [0x1f, 0x8b, 0x00, 0xff, 0x23, 0x0a];
            File.WriteAllBytes(path, bytes);

            Assert.Equal(bytes, Convert.FromBase64String(CloudInitUserData.EncodeFile(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_empty_and_oversized_inputs_are_refused_naming_the_parameter()
    {
        var missing = Assert.Throws<NodeOpsException>(() => CloudInitUserData.EncodeFile("/no/such/user-data.yaml"));
        var empty = Assert.Throws<NodeOpsException>(() => CloudInitUserData.Encode(string.Empty));
        var big = Assert.Throws<NodeOpsException>(() => CloudInitUserData.Encode("#" + new string('x', CloudInitUserData.MaxBytes)));
        var path = Path.GetTempFileName();
        try
        {
            var emptyFile = Assert.Throws<NodeOpsException>(() => CloudInitUserData.EncodeFile(path));
            Assert.Contains("-CloudInitPath", emptyFile.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.All([missing, empty, big], e => Assert.Equal(ErrorKind.InvalidArgument, e.Kind));
        Assert.Contains("-CloudInitPath '/no/such/user-data.yaml'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("-CloudInitUserData", empty.Message, StringComparison.Ordinal);
    }
}
