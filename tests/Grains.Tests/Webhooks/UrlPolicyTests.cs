using System.Net;
using Payments.Webhooks;

namespace Payments.Grains.Tests.Webhooks;

/// <summary>Which addresses a webhook may reach (server-side request forgery), in and outside Development.</summary>
public sealed class UrlPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::")]
    public void An_inside_address_is_refused_outside_development(string address)
    {
        Assert.False(new UrlPolicy(development: false).IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void A_public_address_is_allowed(string address)
    {
        Assert.True(new UrlPolicy(development: false).IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void Development_allows_loopback_and_nothing_else_inside()
    {
        var policy = new UrlPolicy(development: true);

        Assert.True(policy.IsAllowed(IPAddress.Loopback));
        Assert.Null(policy.Refusal("http://127.0.0.1:5000/hook"));
        Assert.Null(policy.Refusal("http://localhost:5000/hook"));
        Assert.False(policy.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(policy.Refusal("http://93.184.215.14/hook"));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_outside_development()
    {
        var policy = new UrlPolicy(development: false);

        Assert.NotNull(await policy.RefusalAsync("https://localhost/hook", CancellationToken.None));
        await Assert.ThrowsAsync<HttpRequestException>(() => policy.AllowedAddressesAsync("localhost", CancellationToken.None));
    }
}
