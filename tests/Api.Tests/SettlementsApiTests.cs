using System.Net;

namespace Payments.Api.Tests;

/// <summary>The settlement endpoint in the embedded mode of the API tests (no PostgreSQL): it says so, and checks its query.</summary>
[Collection(ApiCollection.Name)]
public sealed class SettlementsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    [Fact]
    public async Task Settlements_say_they_need_postgres_in_the_embedded_mode()
    {
        var response = await _admin.GetAsync("/v1/regions/region-a/settlements?date=2026-11-24");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "settlements_unavailable");
        Assert.Contains("PostgreSQL", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("", "date")]
    [InlineData("?date=24-11-2026", "date")]
    [InlineData("?date=2026-11-24&limit=0", "limit")]
    [InlineData("?date=2026-11-24&before=bad%20cursor", "before")]
    public async Task Malformed_settlement_query_is_refused(string query, string field)
    {
        var response = await _admin.GetAsync($"/v1/regions/region-a/settlements{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
    }
}
