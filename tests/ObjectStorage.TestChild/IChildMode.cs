namespace ObjectStorage.TestChild;

/// <summary>One thing the child process can do, chosen by its first argument.</summary>
public interface IChildMode
{
    string Name { get; }

    /// <summary>Runs the mode; the return value is the process exit code.</summary>
    int Run(string[] args);
}
