using Payments.Contracts;

namespace Payments.Api.Tests;

/// <summary>The ISO 8601 durations of the hold rules: read exactly, written in their shortest form.</summary>
public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("P7D", 7 * 24 * 60)]
    [InlineData("P31D", 31 * 24 * 60)]
    [InlineData("PT1M", 1)]
    [InlineData("P1DT12H", 36 * 60)]
    [InlineData("P2W", 14 * 24 * 60)]
    [InlineData("PT90M", 90)]
    public void Duration_is_read_in_minutes(string text, int minutes)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("7D")]
    [InlineData("P1.5D")]
    [InlineData("P-1D")]
    [InlineData("p7d")]
    [InlineData("P7D\n")]
    [InlineData("P1W2D")]
    public void Anything_else_is_refused(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(7 * 24 * 60, "P7D")]
    [InlineData(1, "PT1M")]
    [InlineData(36 * 60, "P1DT12H")]
    [InlineData(90, "PT1H30M")]
    [InlineData(0, "PT0S")]
    public void Duration_is_written_in_its_shortest_form(int minutes, string text) =>
        Assert.Equal(text, IsoDuration.Format(TimeSpan.FromMinutes(minutes)));
}
