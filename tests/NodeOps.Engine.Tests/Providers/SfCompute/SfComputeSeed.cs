using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>
/// The JSON examples of seed 004 (SF Compute <c>PUT /v1/nodes/{id}/redeploy</c>), read from
/// <c>Seeds/</c> where they are kept byte for byte.
/// </summary>
internal static class SfComputeSeed
{
    public static string RedeployResponse => SeedFiles.Text("sfcompute-redeploy.response.json").TrimEnd('\n');

    public static string RedeployRequest => SeedFiles.Text("sfcompute-redeploy.request.json");
}
