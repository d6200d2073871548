using System.Net.Security;
using System.Reflection;
using NodeOps.Engine.Http;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Transport;

/// <summary>Certificate validation is the platform's, always: nothing in NodeOps can turn it off.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task An_untrusted_certificate_fails_the_call_before_any_http_and_names_the_cause()
    {
        await using var server = RawServer.WithUntrustedCertificate();
        var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.GetClustersAsync().ToListAsync().AsTask());

        Assert.Equal(ErrorKind.ConnectionFailed, ex.Kind);
        Assert.Contains("nothing was sent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", ex.Message + ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);

        // A certificate does not become trusted by asking again: one handshake, no retries.
        Assert.Equal(1, server.Connections);
        Assert.Equal(0, server.HttpBytes);
    }

    [Fact]
    public async Task A_mutation_refused_by_certificate_validation_is_known_unsent_not_of_unknown_outcome()
    {
        await using var server = RawServer.WithUntrustedCertificate();
        var client = TestClients.Create(CloudProvider.SFCompute, new Uri(server.BaseUrl, "/sfcompute"));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.RedeployNodeAsync(new RedeployRequest { NodeId = "n_b1dc52505c6db142" }));

        // Nothing was sent, so nothing can have happened: the user may simply fix the trust and rerun.
        Assert.Equal(ErrorKind.ConnectionFailed, ex.Kind);
        Assert.Equal(1, server.Connections);
        Assert.Equal(0, server.HttpBytes);
    }

    [Fact]
    public void No_option_property_or_callback_can_switch_certificate_validation_off()
    {
        Assert.Null(SharedTransport.Handler.SslOptions.RemoteCertificateValidationCallback);
        Assert.Null(SharedTransport.Handler.SslOptions.CertificateChainPolicy);

        // Nowhere in the engine is there a member that could carry a validation override.
        var engine = typeof(NodeOpsClient).Assembly;
        var suspicious = engine.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(m => (Type: t, Member: m)))
            .Where(x => x.Member is PropertyInfo or FieldInfo or MethodInfo)
            .Where(x =>
            {
                var type = x.Member switch
                {
                    PropertyInfo p => p.PropertyType,
                    FieldInfo f => f.FieldType,
                    MethodInfo m => m.ReturnType,
                    _ => typeof(void),
                };
                var name = x.Member.Name;
                return type == typeof(RemoteCertificateValidationCallback)
                    || (type.IsGenericType && type.GenericTypeArguments.Any(a => a == typeof(System.Security.Cryptography.X509Certificates.X509Certificate2)))
                    || name.Contains("Insecure", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("SkipCertificate", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("CertificateValidation", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("DangerousAccept", StringComparison.OrdinalIgnoreCase);
            })
            .Select(x => $"{x.Type.FullName}.{x.Member.Name}")
            .ToList();
        Assert.Empty(suspicious);
    }
}
