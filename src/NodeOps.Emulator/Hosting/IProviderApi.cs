using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;

namespace NodeOps.Emulator.Hosting;

/// <summary>One emulated provider: its routes, its error shape, its seeded data and the admin hooks.</summary>
internal interface IProviderApi
{
    Provider Provider { get; }

    /// <summary>Maps the provider's routes on a group whose prefix is already <c>/{provider}</c>.</summary>
    void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>Writes an error in this provider's documented shape (used for 401, injected faults, 404 routes, crashes).</summary>
    Task WriteErrorAsync(HttpContext context, int status, string message);

    /// <summary>Throws away all data and generates it again from <paramref name="seed"/>.</summary>
    void Reseed(SeedSpec seed);

    /// <summary>Adds a node with an exact id (admin API); returns the node in the provider's wire format.</summary>
    AdminResult AddNode(AdminNodeRequest request);
}

/// <summary>What the seeders generate from. <see cref="Anchor"/> is "now" at seeding time; seeded times lie before it.</summary>
internal sealed record SeedSpec(int Seed, int NodesPerProvider, int NodesPerCluster, int TogetherRemediationsPerCluster, DateTimeOffset Anchor);

/// <summary>An admin operation's outcome: a status and a JSON body (camelCase for errors, provider casing for nodes).</summary>
internal sealed record AdminResult(int Status, object Body, bool ProviderCasing)
{
    public static AdminResult Error(int status, string message) => new(status, new AdminError(message), false);
}

internal sealed record AdminError(string Error);
