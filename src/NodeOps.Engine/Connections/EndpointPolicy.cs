using System.Net;

namespace NodeOps.Engine;

/// <summary>Rules every provider endpoint must meet before a token is sent to it.</summary>
public static class EndpointPolicy
{
    /// <summary>
    /// Returns the endpoint normalised to its base (no query, no trailing slash, a trailing <c>/v1</c>
    /// removed because clients append the version themselves). Refuses plain http except to loopback,
    /// so a bearer token never crosses a network unencrypted.
    /// </summary>
    public static Uri Normalize(Uri endpoint, string parameterName = "Endpoint")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{endpoint}' must be an absolute http(s) URL.");
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{endpoint}' must use https.");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
        {
            throw new NodeOpsException(
                ErrorKind.InvalidArgument,
                $"-{parameterName} '{endpoint.GetLeftPart(UriPartial.Authority)}' uses plain http; only loopback addresses may. Use https.");
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} must not carry credentials in the URL.");
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^3];
        }

        var builder = new UriBuilder(endpoint) { Path = path, Query = string.Empty, Fragment = string.Empty };
        return builder.Uri;
    }

    public static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback
        || (IPAddress.TryParse(endpoint.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
