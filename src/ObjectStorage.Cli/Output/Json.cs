using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ObjectStorage.Cli.Output;

/// <summary>The <c>--json</c> output: one JSON document on stdout per command, camelCase names, nulls left out.</summary>
internal static class Json
{
    /// <summary>
    /// The type metadata every document is written with. The encoder is no source generation option, so the
    /// generated options are copied with it set; a document written through <see cref="CliJsonContext.Default"/>
    /// would escape quotes and non-ASCII text.
    /// </summary>
    public static CliJsonContext Context { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options)
    {
        // Output for people's tools, not for embedding in HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Writes <paramref name="value"/> and a newline to stdout.</summary>
    public static void Write<T>(T value, JsonTypeInfo<T> type)
    {
        Console.Out.Write(JsonSerializer.Serialize(value, type));
        Console.Out.WriteLine();
        Console.Out.Flush();
    }

    /// <summary>Writes the items as one JSON array to stdout as they come, never holding them all.</summary>
    public static async Task WriteArrayAsync<T>(IAsyncEnumerable<T> items, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stdout = StandardOutput.Stream;
        await using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = type.Options.Encoder }))
        {
            writer.WriteStartArray();
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                JsonSerializer.Serialize(writer, item, type);
                if (writer.BytesPending > 16 * 1024) await writer.FlushAsync(cancellationToken);
            }
            writer.WriteEndArray();
        }
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await stdout.FlushAsync(cancellationToken);
    }
}
