namespace ObjectStorage;
internal static class AzurePlaceholder { }
