using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ObjectStorage.Cli.Output;

/// <summary>The <c>--json</c> output: one JSON document on stdout per command, camelCase names, nulls left out.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Output for people's tools, not for embedding in HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <paramref name="value"/> and a newline to stdout.</summary>
    public static void Write<T>(T value)
    {
        Console.Out.Write(JsonSerializer.Serialize(value, Options));
        Console.Out.WriteLine();
        Console.Out.Flush();
    }

    /// <summary>Writes the items as one JSON array to stdout as they come, never holding them all.</summary>
    public static async Task WriteArrayAsync<T>(IAsyncEnumerable<T> items, CancellationToken cancellationToken)
    {
        var stdout = StandardOutput.Stream;
        await using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            writer.WriteStartArray();
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                JsonSerializer.Serialize(writer, item, Options);
                if (writer.BytesPending > 16 * 1024) await writer.FlushAsync(cancellationToken);
            }
            writer.WriteEndArray();
        }
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await stdout.FlushAsync(cancellationToken);
    }
}
