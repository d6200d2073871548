using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.SfCompute;

internal sealed class SfComputeApi(EmulatorState state) : IProviderApi
{
    public Provider Provider => Provider.SfCompute;

    public void MapRoutes(IEndpointRouteBuilder routes) { _ = state; }

    public Task WriteErrorAsync(HttpContext context, int status, string message) => context.WriteJsonAsync(status, new { error = message }, WireJson.Snake);

    public void Reseed(SeedSpec seed) { }

    public AdminResult AddNode(AdminNodeRequest request) => AdminResult.Error(400, "todo");
}
