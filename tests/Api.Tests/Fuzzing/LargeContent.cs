using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Payments.Api.Tests;

/// <summary>
/// A JSON body of <paramref name="size"/> bytes (one string that never ends), written as it is sent, so nothing of
/// that size is held in memory; with a Content-Length or, when <paramref name="chunked"/>, without one.
/// </summary>
public sealed class LargeContent : HttpContent
{
    private static readonly byte[] Opening = Encoding.ASCII.GetBytes("{\"merchant\":\"");
    private static readonly byte[] Filler = Encoding.ASCII.GetBytes(new string('x', 16_384));
    private readonly long _size;
    private readonly bool _chunked;

    public LargeContent(long size, bool chunked)
    {
        (_size, _chunked) = (size, chunked);
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Opening);
        for (var sent = (long)Opening.Length; sent < _size; sent += Filler.Length)
        {
            await stream.WriteAsync(Filler.AsMemory(0, (int)Math.Min(Filler.Length, _size - sent)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _size;
        return !_chunked;
    }
}
