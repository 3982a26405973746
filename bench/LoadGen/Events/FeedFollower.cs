using Payments.LoadGen.Http;

namespace Payments.LoadGen.Events;

/// <summary>
/// A consumer of <c>GET /v1/events</c> as docs/events.md describes one: pages of the default size (100) after its
/// cursor, long-polling when it has caught up.
/// </summary>
public static class FeedFollower
{
    private const int PageSize = 100;
    private const int WaitSeconds = 10;

    public static async Task RunAsync(ApiClient api, EventArrivals arrivals, CancellationToken stopping)
    {
        string? cursor = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var page = await api.EventsPageAsync(cursor, PageSize, WaitSeconds, stopping);
                foreach (var item in page.Items)
                {
                    arrivals.Arrived(item);
                }

                cursor = page.Next;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                // A 503 under load, a timeout: a consumer asks again after its cursor.
                Console.WriteLine($"[events] feed: {ex.Message}; asking again");
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }
}
