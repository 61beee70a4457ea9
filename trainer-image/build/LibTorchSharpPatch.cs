// Makes TorchSharp's native bridge load on machines whose libstdc++ predates GLIBCXX_3.4.32
// (Debian 12 stops at 3.4.30). The only symbol bound to 3.4.32 is _ZSt21ios_base_library_initv,
// which GCC 13's <iostream> references but never calls, so the version need can be dropped:
// 1) clear that symbol's version (versym -> global), 2) rename the needed version to 3.4.30 in
// .gnu.version_r (same length) with a matching ELF hash, because the loader checks every need.
// Applied to copies in build output only, never to the NuGet cache.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchLibTorchSharp : Task
{
    const string Symbol = "_ZSt21ios_base_library_initv";
    const string NeededVersion = "GLIBCXX_3.4.32";
    const string AvailableVersion = "GLIBCXX_3.4.30";

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
        if (SystemLibStdCxxHas(NeededVersion)) return true;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            try
            {
                if (Patch(file)) Log.LogMessage(MessageImportance.High, $"Patched {file}: dropped its {NeededVersion} need (see ENVIRONMENT notes in trainer-image/build).");
            }
            catch (Exception e)
            {
                Log.LogError($"Could not patch {file}: {e.Message}");
                return false;
            }
        }
        return true;
    }

    static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        foreach (var path in candidates)
            if (File.Exists(path))
                return IndexOf(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(version + "\0"), 0) >= 0;
        return false;
    }

    static bool Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2) throw new InvalidDataException("not a 64-bit ELF file");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        long dynsymOff = 0, dynsymSize = 0, versymOff = 0, verneedOff = 0, dynstrOff = 0;
        int verneedCount = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = U32(elf, sh + 4);
            long offset = (long)U64(elf, sh + 24), size = (long)U64(elf, sh + 32);
            uint link = U32(elf, sh + 40), info = U32(elf, sh + 44);
            switch (type)
            {
                case 11: // SHT_DYNSYM
                    dynsymOff = offset; dynsymSize = size;
                    dynstrOff = (long)U64(elf, shoff + (long)link * shentsize + 24);
                    break;
                case 0x6fffffff: versymOff = offset; break; // SHT_GNU_versym
                case 0x6ffffffe: verneedOff = offset; verneedCount = (int)info; break; // SHT_GNU_verneed
            }
        }
        if (dynsymOff == 0 || versymOff == 0 || verneedOff == 0) throw new InvalidDataException("missing dynamic symbol or version sections");

        bool changed = false;
        for (long s = 0; s < dynsymSize / 24; s++)
        {
            if (CString(elf, dynstrOff + U32(elf, dynsymOff + s * 24)) != Symbol) continue;
            long slot = versymOff + s * 2;
            if (U16(elf, slot) != 1) { elf[slot] = 1; elf[slot + 1] = 0; changed = true; }
        }

        long need = verneedOff;
        for (int n = 0; n < verneedCount; n++)
        {
            long aux = need + U32(elf, need + 8);
            for (int a = 0; a < U16(elf, need + 2); a++)
            {
                long nameAt = dynstrOff + U32(elf, aux + 8);
                if (CString(elf, nameAt) == NeededVersion)
                {
                    Encoding.ASCII.GetBytes(AvailableVersion).CopyTo(elf, nameAt);
                    BitConverter.GetBytes(ElfHash(AvailableVersion)).CopyTo(elf, aux);
                    changed = true;
                }
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, need + 12);
            if (next == 0) break;
            need += next;
        }
        if (!changed) return false;
        var temp = path + ".patching";
        File.WriteAllBytes(temp, elf);
        File.Delete(path);
        File.Move(temp, path);
        return true;
    }

    static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);
    static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);
    static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);

    static string CString(byte[] b, long at)
    {
        int end = (int)at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }

    static int IndexOf(byte[] hay, byte[] needle, int from)
    {
        for (int i = from; i <= hay.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
