using Microsoft.AspNetCore.Http;

namespace NodeOps.Emulator.Hosting;

/// <summary>
/// Kestrel decodes the request path before routing, except <c>%2F</c>, and drops dot segments. That makes
/// ids such as <c>a/b</c>, <c>..</c> or a literal <c>%41</c> unreachable or ambiguous. For provider
/// requests this middleware routes on the raw, still-encoded path instead; handlers decode each id once
/// (<see cref="HttpHelpers.RouteId"/>).
/// </summary>
internal static class RawPathRewriter
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Providers.TryMatch(context.Request.Path, out _))
        {
            var (rawPath, _) = HttpHelpers.SplitTarget(context.RawTarget());
            if (rawPath.StartsWith('/'))
            {
                context.Request.Path = new PathString(rawPath);
            }
            else if (Uri.TryCreate(rawPath, UriKind.Absolute, out var absolute))
            {
                // Absolute-form request target (proxy style): keep its still-encoded path.
                context.Request.Path = new PathString(absolute.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped));
            }
        }

        return next(context);
    }
}
