using Microsoft.Extensions.Options;

namespace ObjectStorage;

/// <summary>Checks every named store when the host starts (ValidateOnStart) and when the options are first read.</summary>
internal sealed class StoreSettingsValidator : IValidateOptions<ObjectStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, ObjectStorageOptions options)
    {
        var errors = StoreGraph.Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
