namespace Payments.Api.Tests;

/// <summary>Every endpoint × every kind of caller, with configured keys and with keys issued by the API (in memory here).</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    [Fact]
    public async Task Configured_keys_reach_exactly_the_endpoints_of_their_role()
    {
        var accountId = await _admin.CreateAccountAsync();
        var issued = await _admin.IssueMatrixKeysAsync(ApiFixture.AdminKey);
        var keys = issued with { Terminal = ApiFixture.TerminalKey, Network = ApiFixture.NetworkKey };

        var failures = await AuthorizationMatrix.RunAsync(fixture.Factory.Services, Client, keys, accountId);

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Issued_keys_reach_exactly_the_endpoints_of_their_role()
    {
        var accountId = await _admin.CreateAccountAsync();
        var (_, issuedAdmin) = await _admin.IssueKeyAsync("admin");
        var keys = await _admin.IssueMatrixKeysAsync(issuedAdmin);

        var failures = await AuthorizationMatrix.RunAsync(fixture.Factory.Services, Client, keys, accountId);

        Assert.Empty(failures);
    }

    private HttpClient Client(string? key) => key is null ? fixture.Factory.CreateClient() : fixture.Client(key);
}
