using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Auditing;
using Payments.Contracts;

namespace Payments.Api.Tests;

/// <summary>Back-office changes to accounts leave an audit entry naming the key that made them; refused ones leave none.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminAuditTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    private IEnumerable<AdminAuditEntry> TrailOf(string accountId) =>
        fixture.Factory.Services.GetRequiredService<InMemoryAdminAudit>().Entries.Where(e => e.Target == $"account:{accountId}");

    [Fact]
    public async Task Opening_changing_and_crediting_an_account_are_audited()
    {
        var accountId = await _admin.CreateAccountAsync(initialBalance: 500);

        await _admin.PatchAsJsonAsync($"/v1/accounts/{accountId}", new { limits = new { daily = 7000 }, status = "frozen" });
        await _admin.PostAsJsonAsync($"/v1/accounts/{accountId}/deposits", new { amount = 250, currency = "EUR", reference = "top-up" });

        var trail = TrailOf(accountId).ToList();
        Assert.Equal([AdminActions.AccountCreated, AdminActions.AccountUpdated, AdminActions.DepositCreated], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal("dev-admin", e.Actor));
        var (before, after) = ((AccountView)trail[1].Before!, (AccountView)trail[1].After!);
        Assert.Equal((AccountStatus.Active, 100_000L), (before.Status, before.Limits.Daily.Limit));
        Assert.Equal((AccountStatus.Frozen, 7000L), (after.Status, after.Limits.Daily.Limit));
        Assert.Equal(750, ((DepositRecord)trail[2].After!).BalanceAfter);
    }

    [Fact]
    public async Task Refused_and_replayed_changes_are_not_audited()
    {
        var accountId = await _admin.CreateAccountAsync();
        var deposit = () => new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/deposits")
        {
            Content = JsonContent.Create(new { amount = 10, currency = "EUR", reference = "once" }),
            Headers = { { "Idempotency-Key", "audit-once" } },
        };
        await _admin.SendAsync(deposit());

        var replay = await _admin.SendAsync(deposit());
        var invalid = await _admin.PatchAsJsonAsync($"/v1/accounts/{accountId}", new { limits = new { daily = -1 } });
        var taken = await _admin.PostAsJsonAsync("/v1/accounts", new { accountId, region = "region-a", currency = "EUR", initialBalance = 1 });

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal([AdminActions.AccountCreated, AdminActions.DepositCreated], TrailOf(accountId).Select(e => e.Action));
    }
}
