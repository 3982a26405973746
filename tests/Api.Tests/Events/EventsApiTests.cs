using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests.Events;

/// <summary>GET /v1/events as the contract says: CloudEvents whose data is the API's own answer, cursors, filters, long poll.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Every_operation_is_one_event_whose_data_is_the_answer_of_its_endpoint()
    {
        var opened = await _admin.PostAsJsonAsync("/v1/accounts",
            new { accountId = ApiCalls.NewAccountId(), region = "region-a", currency = "EUR", initialBalance = 1_000 });
        var account = await opened.JsonAsync();
        var accountId = (string)account["accountId"]!;
        var approved = await (await _terminal.PayAsync(accountId, 400)).JsonAsync();
        var declined = await (await _terminal.PayAsync(accountId, 5_000)).JsonAsync();
        var deposit = await (await _admin.PostAsJsonAsync($"/v1/accounts/{accountId}/deposits",
            new { amount = 250, currency = "EUR", reference = "salary" })).JsonAsync();
        var updated = await (await _admin.PatchAsJsonAsync($"/v1/accounts/{accountId}", new { status = "frozen" })).JsonAsync();

        var page = await ReadAsync($"accountId={accountId}");

        var items = page["items"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["account.opened", "payment.approved", "payment.declined", "deposit.created", "account.updated"],
            items.Select(e => (string)e["type"]!));
        Assert.Equal(["1", "2", "3", "4", "5"], items.Select(e => (string)e["sequence"]!));
        Assert.Equal(items.Count, items.Select(e => (string)e["id"]!).Distinct().Count());
        Assert.All(items, e =>
        {
            Assert.Equal("1.0", (string)e["specversion"]!);
            Assert.Equal($"/regions/region-a/accounts/{accountId}", (string)e["source"]!);
            Assert.Equal(accountId, (string)e["subject"]!);
            Assert.True(DateTimeOffset.TryParse((string)e["time"]!, out _));
        });
        Assert.True(JsonNode.DeepEquals(account, items[0]["data"]));
        Assert.True(JsonNode.DeepEquals(approved, items[1]["data"]));
        Assert.True(JsonNode.DeepEquals(declined, items[2]["data"]));
        Assert.True(JsonNode.DeepEquals(deposit, items[3]["data"]));
        Assert.True(JsonNode.DeepEquals(updated, items[4]["data"]));
    }

    [Fact]
    public async Task An_event_keeps_its_id_when_read_again()
    {
        var accountId = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(accountId, 100);

        var first = await ReadAsync($"accountId={accountId}");
        var second = await ReadAsync($"accountId={accountId}");

        Assert.True(JsonNode.DeepEquals(first["items"], second["items"]));
    }

    [Fact]
    public async Task A_page_with_no_events_returns_the_cursor_it_was_given_and_the_next_event_comes_after_it()
    {
        var accountId = await _admin.CreateAccountAsync();
        var first = await ReadAsync($"accountId={accountId}");
        var cursor = (string)first["next"]!;

        var empty = await ReadAsync($"accountId={accountId}&after={Uri.EscapeDataString(cursor)}");
        await _terminal.PayAsync(accountId, 100);
        var newer = await ReadAsync($"accountId={accountId}&after={Uri.EscapeDataString(cursor)}");

        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(cursor, (string)empty["next"]!);
        Assert.Equal(["payment.approved"], newer["items"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.NotEqual(cursor, (string)newer["next"]!);
    }

    [Fact]
    public async Task Pages_of_one_continue_each_other_without_a_gap()
    {
        var accountId = await _admin.CreateAccountAsync();
        for (var i = 0; i < 4; i++)
        {
            await _terminal.PayAsync(accountId, 10);
        }

        var sequences = new List<string>();
        var cursor = (string?)null;
        for (var page = 0; page < 6; page++)
        {
            var read = await ReadAsync($"accountId={accountId}&limit=1" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}"));
            sequences.AddRange(read["items"]!.AsArray().Select(e => (string)e!["sequence"]!));
            cursor = (string)read["next"]!;
        }

        Assert.Equal(["1", "2", "3", "4", "5"], sequences);
    }

    [Fact]
    public async Task A_type_filter_ending_in_a_star_matches_every_type_with_that_prefix()
    {
        var accountId = await _admin.CreateAccountAsync(initialBalance: 1_000);
        await _terminal.PayAsync(accountId, 100);
        await _terminal.PayAsync(accountId, 50_000);
        await _admin.PostAsJsonAsync($"/v1/accounts/{accountId}/deposits", new { amount = 250, currency = "EUR", reference = "r" });

        var payments = await ReadAsync($"accountId={accountId}&type=payment.*");
        var deposits = await ReadAsync($"accountId={accountId}&type=deposit.created&type=account.*");

        Assert.Equal(["payment.approved", "payment.declined"], payments["items"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.Equal(["account.opened", "deposit.created"], deposits["items"]!.AsArray().Select(e => (string)e!["type"]!));
    }

    [Fact]
    public async Task A_long_poll_answers_as_soon_as_a_matching_event_arrives()
    {
        var accountId = await _admin.CreateAccountAsync();
        var cursor = (string)(await ReadAsync($"accountId={accountId}"))["next"]!;

        var poll = ReadAsync($"accountId={accountId}&type=payment.*&wait=20&after={Uri.EscapeDataString(cursor)}");
        await Task.Delay(500);
        Assert.False(poll.IsCompleted);
        await _terminal.PayAsync(accountId, 100);
        var page = await poll.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(["payment.approved"], page["items"]!.AsArray().Select(e => (string)e!["type"]!));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_answers_empty_with_the_same_cursor_after_its_wait()
    {
        var accountId = await _admin.CreateAccountAsync();
        var cursor = (string)(await ReadAsync($"accountId={accountId}"))["next"]!;

        var page = await ReadAsync($"accountId={accountId}&wait=1&after={Uri.EscapeDataString(cursor)}");

        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(cursor, (string)page["next"]!);
    }

    [Theory]
    [InlineData("after=not-a-cursor", "after")]
    [InlineData("after=1.0.acc", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("wait=61", "wait")]
    [InlineData("wait=-1", "wait")]
    [InlineData("type=payment", "type")]
    [InlineData("type=*", "type")]
    [InlineData("accountId=bad%20id", "accountId")]
    [InlineData("limit=1&limit=2", "limit")]
    public async Task Malformed_queries_are_refused_with_the_field_at_fault(string query, string field)
    {
        var response = await _admin.GetAsync($"/v1/events?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Only_the_admin_role_reads_the_feed()
    {
        var response = await _terminal.GetAsync("/v1/events");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<JsonObject> ReadAsync(string query)
    {
        var response = await _admin.GetAsync($"/v1/events?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
