using System.Diagnostics.CodeAnalysis;

namespace ObjectStorage;

/// <summary>
/// Declares that an assembly brings store URL schemes: <c>[assembly: StoreUrlProvider(typeof(MyProvider))]</c>,
/// where the provider implements <see cref="IStoreUrlProvider"/> and has a public parameterless constructor.
/// <see cref="StoreUrl"/> finds these assemblies itself, so an application opens their schemes with no registration call.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class StoreUrlProviderAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type providerType) : Attribute
{
    /// <summary>The type that implements <see cref="IStoreUrlProvider"/> for the assembly.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type ProviderType { get; } = providerType;
}
