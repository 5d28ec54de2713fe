namespace ClvPortal.Web.Security;

/// <summary>
/// <c>Portal:Proxy</c>: the reverse proxies (load balancer, ingress) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> headers the portal believes. Behind a proxy every request comes from the
/// proxy's address, so without this the sign-in rate limit would count all visitors as one; headers
/// from any other address are ignored, so a visitor cannot dodge the limit by sending them.
/// Loopback proxies (one on the same machine) are always trusted.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Portal:Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>["10.0.0.5"]</c>. Default none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>["172.18.0.0/16"]</c> for a Docker network. Default none.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
