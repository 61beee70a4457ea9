using System.Text.RegularExpressions;
using System.Xml.Linq;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// The two images build from a clean checkout (there is no Docker engine here, so this reads the Dockerfiles the way
/// the build would): every project the published one references, and every MSBuild file restore reads, is copied into
/// the build stage; restore reads no folder of this machine; the image runs as a non-root user; and the tag the
/// Dockerfile says to build is the image the chart and the CRDs default to. docs/operator-api.md "Images" has the
/// matching <c>dotnet publish</c> check.
/// </summary>
public sealed partial class DockerfileTests
{
    sealed record Dockerfile(IReadOnlyList<string> Copied, string Published, string? FinalUser, string Tag);

    static Dockerfile Read(string path)
    {
        var lines = File.ReadAllLines(RepoRoot.File(path.Split('/')));
        var stages = string.Join('\n', lines).Split("\nFROM ");
        var build = stages[^2];
        var copied = CopyLine().Matches(build).Select(m => m.Groups["src"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).SelectMany(s => s).ToList();
        var published = PublishLine().Match(build).Groups["project"].Value;
        var user = UserLine().Matches(stages[^1]).Select(m => m.Groups["user"].Value).LastOrDefault();
        var tag = TagComment().Match(string.Join('\n', lines)).Groups["tag"].Value;
        return new Dockerfile(copied, published, user, tag);
    }

    /// <summary>The project and every project it references, transitively, as repository-relative folders.</summary>
    static IEnumerable<string> ProjectClosure(string projectFolder)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Path.GetFullPath(RepoRoot.File(projectFolder.Split('/')))]);
        while (pending.TryPop(out var folder))
        {
            if (!seen.Add(folder)) continue;
            var project = Directory.GetFiles(folder, "*.csproj").Single();
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
                pending.Push(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value)))!);
        }
        return seen.Select(f => Path.GetRelativePath(RepoRoot.File(), f).Replace('\\', '/'));
    }

    static bool IsCopied(Dockerfile file, string path) =>
        file.Copied.Any(c => c == path || (c.EndsWith('/') && (path + "/").StartsWith(c, StringComparison.Ordinal)));

    [Theory]
    [InlineData("operator/Dockerfile")]
    [InlineData("trainer-image/Dockerfile")]
    public void The_build_stage_copies_every_referenced_project_and_everything_restore_reads(string path)
    {
        var file = Read(path);
        foreach (var project in ProjectClosure(file.Published)) Assert.True(IsCopied(file, project), $"{path} does not copy {project}, which {file.Published} references");
        foreach (var msbuild in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "nuget.config" })
            Assert.True(IsCopied(file, msbuild), $"{path} does not copy {msbuild}");
        // Directory.Build.targets imports the libstdc++ patch task from trainer-image/build.
        foreach (var import in XDocument.Load(RepoRoot.File("Directory.Build.targets")).Descendants("Import"))
        {
            var imported = import.Attribute("Project")!.Value.Replace("$(MSBuildThisFileDirectory)", "");
            Assert.True(IsCopied(file, Path.GetDirectoryName(imported)!.Replace('\\', '/')), $"{path} does not copy {imported}");
        }
    }

    [Fact]
    public void Restore_reads_only_nuget_org_and_no_folder_of_this_machine()
    {
        var config = XDocument.Load(RepoRoot.File("nuget.config"));
        var sources = config.Descendants("packageSources").Single();
        Assert.Equal("clear", sources.Elements().First().Name.LocalName);
        Assert.Equal(["https://api.nuget.org/v3/index.json"], sources.Elements("add").Select(a => a.Attribute("value")!.Value));
        Assert.DoesNotContain(config.Descendants(), e => e.Name.LocalName is "globalPackagesFolder" or "repositoryPath" or "fallbackPackageFolders");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets" })
            Assert.DoesNotContain("RestoreSources", File.ReadAllText(RepoRoot.File(file)));
    }

    [Theory]
    [InlineData("operator/Dockerfile")]
    [InlineData("trainer-image/Dockerfile")]
    public void The_image_runs_as_the_non_root_user_the_pods_security_context_names(string path)
    {
        var user = Read(path).FinalUser;
        Assert.NotNull(user);
        Assert.True(long.TryParse(user, out var uid) && uid != 0, $"{path}: USER {user} must be a numeric non-root uid (runAsNonRoot checks a number)");
        Assert.Equal(Lineage.Operator.Rendering.JobRenderer.User, uid);
        var pod = RenderedChart.Render().Single("Deployment")["spec"]!["template"]!["spec"]!["securityContext"]!;
        Assert.Equal(uid, long.Parse(pod["runAsUser"]!.ToJsonString()));
    }

    [Fact]
    public void The_images_the_dockerfiles_build_are_the_ones_the_chart_and_the_crds_run()
    {
        var chart = RenderedChart.Render();
        var operatorImage = (string)chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!;
        Assert.Equal(operatorImage, Read("operator/Dockerfile").Tag);
        Assert.Equal(Resources.DefaultImage, Read("trainer-image/Dockerfile").Tag);
    }

    [Fact]
    public void The_build_context_leaves_out_this_machines_build_output()
    {
        var ignored = File.ReadAllLines(RepoRoot.File(".dockerignore")).Select(l => l.Trim()).ToHashSet();
        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "tests/" }, ignored);
    }

    [GeneratedRegex(@"^COPY (?!--from)(?<src>.+) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"RUN dotnet publish (?<project>\S+)")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^USER (?<user>\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"docker build -f \S+ -t (?<tag>\S+) \.")]
    private static partial Regex TagComment();
}
