using System.Text;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>A reply that cannot be used as it stands.</summary>
public enum ReplyDefect
{
    /// <summary>A success status and JSON cut off mid-value (the length header matches what was sent).</summary>
    MalformedJson,

    /// <summary>A success status whose body stops short of its Content-Length: the connection closes mid-body.</summary>
    TruncatedBody,

    /// <summary>A proxy's HTML 502 page instead of the provider's error JSON.</summary>
    HtmlBadGateway,

    /// <summary>A success status with an HTML page (a captive portal, a login proxy).</summary>
    HtmlWithSuccessStatus,

    /// <summary>A success status and no body at all.</summary>
    EmptyBody,

    /// <summary>A success status declaring a body larger than <see cref="NodeOps.Engine.NodeOpsClientOptions.MaxResponseBytes"/>.</summary>
    TooLarge,

    /// <summary>A 502 declaring a body larger than the limit: the status, not the size, says what happened.</summary>
    TooLargeBadGateway,
}

public static class ReplyDefects
{
    /// <summary>The limit the size defects are measured against (the option's minimum is 1 KB).</summary>
    public const int SmallLimit = 4096;

    /// <summary>An nginx-style 502 page, padded past the 2 KB the engine keeps of a raw body.</summary>
    public static readonly string BadGatewayPage =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
        + string.Concat(Enumerable.Repeat("<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n", 60))
        + "</body>\r\n</html>\r\n";

    public static CannedResponse Reply(ReplyDefect defect, int successStatus) => defect switch
    {
        ReplyDefect.MalformedJson => CannedResponse.Json("""{"id":"n1","status":"runn""", successStatus),
        ReplyDefect.TruncatedBody => new CannedResponse
        {
            Status = successStatus,
            Body = Encoding.UTF8.GetBytes("""{"id":"n1","object":"node","status":"running","name":"a-node-with-a-long-enough-body"}"""),
            TruncateAt = 12,
        },
        ReplyDefect.HtmlBadGateway => CannedResponse.Text(BadGatewayPage, "text/html", 502),
        ReplyDefect.HtmlWithSuccessStatus => CannedResponse.Text("<html><body><form action=\"/login\">Sign in to continue</form></body></html>", "text/html; charset=utf-8", successStatus),
        ReplyDefect.EmptyBody => new CannedResponse { Status = successStatus, Body = [] },
        ReplyDefect.TooLarge => CannedResponse.Json("[" + string.Join(',', Enumerable.Repeat("""{"id":"n1"}""", 2 * SmallLimit / 10)) + "]", successStatus),
        ReplyDefect.TooLargeBadGateway => CannedResponse.Text(string.Concat(Enumerable.Repeat(BadGatewayPage, 2)), "text/html", 502),
        _ => throw new ArgumentOutOfRangeException(nameof(defect)),
    };

    public static bool IsSizeDefect(ReplyDefect defect) => defect is ReplyDefect.TooLarge or ReplyDefect.TooLargeBadGateway;
}
