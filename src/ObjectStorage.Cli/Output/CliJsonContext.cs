using System.Text.Json;
using System.Text.Json.Serialization;
using ObjectStorage.Cli.Commands;

namespace ObjectStorage.Cli.Output;

/// <summary>
/// Generated serialization code for every <c>--json</c> document, so that the output needs no reflection
/// (trimmed and Native AOT builds). Written through <see cref="Json.Context"/>, which adds the encoder.
/// </summary>
// Web defaults give camelCase names; the enum converters keep the camelCase values the reflection-based
// JsonStringEnumConverter(JsonNamingPolicy.CamelCase) wrote, which UseStringEnumConverter would not (it writes the C# names).
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<SyncAction>), typeof(CamelCaseEnumConverter<CheckDifferenceKind>)])]
[JsonSerializable(typeof(ObjectInfo))]
[JsonSerializable(typeof(CatDocument))]
[JsonSerializable(typeof(PutDocument))]
[JsonSerializable(typeof(GetDocument))]
[JsonSerializable(typeof(CopyOneDocument))]
[JsonSerializable(typeof(PresignDocument))]
[JsonSerializable(typeof(ServeDocument))]
[JsonSerializable(typeof(SizeDocument))]
[JsonSerializable(typeof(FolderSizeDocument))]
[JsonSerializable(typeof(RemoveKeysDocument))]
[JsonSerializable(typeof(RemovePrefixDocument))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(TransferCommand.TransferReport))]
[JsonSerializable(typeof(BenchDocument))]
[JsonSerializable(typeof(ErrorDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>Enum values as camelCase strings, in a form the source generator can instantiate (it needs a parameterless constructor).</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
