#!/usr/bin/env node
// Checks a cross-compiled dscan binary for what can be checked without
// running it (no macOS machine is reachable here): its format and
// architecture, what it links against, and which file-system calls it
// imports. Reads the headers itself (ELF, Mach-O 64-bit), so it needs
// nothing installed.
//
//   node tools/check-binary.mjs FILE PLATFORM      PLATFORM: linux-x64, linux-arm64, darwin-x64, darwin-arm64
//
// linux-*:  ELF64 of the right machine, statically linked (no PT_INTERP, no
//           PT_DYNAMIC): one binary for glibc and musl distributions.
// darwin-*: Mach-O 64-bit PIE executable of the right CPU type, for macOS
//           (LC_BUILD_VERSION platform 1), code-signed on arm64, loading /usr/lib/libSystem.B.dylib
//           and no other library, importing opendir/readdir (the portable
//           file-system backend) and no Linux-only call (getdents64, syscall),
//           and without the string "/proc/self" (the Linux backend's).
// Prints one line per binary; exits 1 with the reason when a check fails.
import fs from "node:fs";

const [file, platform] = process.argv.slice(2);
if (!file || !platform) {
  process.stderr.write("usage: check-binary.mjs FILE PLATFORM\n");
  process.exit(2);
}
const buf = fs.readFileSync(file);
const fail = (msg) => {
  process.stderr.write(`check-binary: ${file} (${platform}): ${msg}\n`);
  process.exit(1);
};
const [os, arch] = platform.split("-");
if (buf.length < 4096) fail(`${buf.length} bytes: too short to be a dscan binary`);

function checkElf() {
  if (buf.readUInt32BE(0) !== 0x7f454c46) fail("not an ELF file");
  if (buf[4] !== 2) fail("not ELF64");
  if (buf[5] !== 1) fail("not little-endian");
  const machine = buf.readUInt16LE(18);
  const want = { x64: 0x3e, arm64: 0xb7 }[arch];
  if (machine !== want) fail(`e_machine ${machine}, want ${want}`);
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  const phnum = buf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const type = buf.readUInt32LE(phoff + i * phentsize);
    if (type === 3) fail("has PT_INTERP: dynamically linked, not static");
    if (type === 2) fail("has PT_DYNAMIC: links shared libraries");
  }
  return `ELF64 ${arch === "x64" ? "x86-64" : "aarch64"}, statically linked (no PT_INTERP, no PT_DYNAMIC)`;
}

function cstr(off, max = buf.length) {
  let end = off;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString("latin1", off, end);
}

function checkMachO() {
  if (buf.readUInt32LE(0) !== 0xfeedfacf) fail("not a 64-bit Mach-O file (a fat or 32-bit file is not expected)");
  const cputype = buf.readUInt32LE(4);
  const want = { x64: 0x01000007, arm64: 0x0100000c }[arch];
  if (cputype !== want) fail(`cputype 0x${cputype.toString(16)}, want 0x${want.toString(16)}`);
  if (buf.readUInt32LE(12) !== 2) fail("not an executable (MH_EXECUTE)");
  const ncmds = buf.readUInt32LE(16);
  // macOS on arm64 runs only position-independent, signed code (zig's
  // linker signs ad hoc); checked on both architectures where required.
  if (!(buf.readUInt32LE(24) & 0x200000)) fail("not position-independent (MH_PIE)");
  let signed = false;
  const dylibs = [];
  let minos = null;
  let symtab = null;
  let off = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off);
    const size = buf.readUInt32LE(off + 4);
    // LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB
    if ([0xc, 0x80000018, 0x8000001f, 0x20, 0x80000023].includes(cmd)) dylibs.push(cstr(off + buf.readUInt32LE(off + 8), off + size));
    if (cmd === 0x32) { // LC_BUILD_VERSION
      const plat = buf.readUInt32LE(off + 8);
      if (plat !== 1) fail(`LC_BUILD_VERSION platform ${plat}, want 1 (macOS)`);
      const v = buf.readUInt32LE(off + 12);
      minos = `${v >>> 16}.${(v >>> 8) & 0xff}`;
    }
    if (cmd === 0x24) { // LC_VERSION_MIN_MACOSX
      const v = buf.readUInt32LE(off + 8);
      minos = `${v >>> 16}.${(v >>> 8) & 0xff}`;
    }
    if (cmd === 0x1d) signed = true; // LC_CODE_SIGNATURE
    if (cmd === 0x2) symtab = { symoff: buf.readUInt32LE(off + 8), nsyms: buf.readUInt32LE(off + 12), stroff: buf.readUInt32LE(off + 16) };
    off += size;
  }
  if (arch === "arm64" && !signed) fail("no LC_CODE_SIGNATURE: macOS on arm64 would kill it");
  if (minos === null) fail("no LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX: not built for macOS");
  if (dylibs.length !== 1 || dylibs[0] !== "/usr/lib/libSystem.B.dylib") fail(`links ${JSON.stringify(dylibs)}, want only /usr/lib/libSystem.B.dylib`);
  if (!symtab) fail("no LC_SYMTAB");
  const imports = new Set();
  for (let i = 0; i < symtab.nsyms; i++) {
    const e = symtab.symoff + i * 16;
    const type = buf[e + 4];
    if ((type & 0x0e) === 0 && (type & 0x01)) imports.add(cstr(symtab.stroff + buf.readUInt32LE(e)));
  }
  for (const s of ["_opendir", "_readdir"]) if (![...imports].some((x) => x === s || x.startsWith(`${s}$`))) fail(`does not import ${s}: not the portable file-system backend`);
  for (const s of imports) if (/^_(getdents|syscall)/.test(s)) fail(`imports ${s}, a Linux-only call`);
  if (buf.includes("/proc/self")) fail(`contains "/proc/self": Linux backend code in a macOS binary`);
  return `Mach-O 64-bit ${arch === "x64" ? "x86_64" : "arm64"} PIE executable${signed ? " (ad-hoc signed)" : ""}, macOS >= ${minos}, links only ${dylibs[0]}, ` +
    `imports opendir/readdir (portable backend), ${imports.size} symbols from libSystem`;
}

const what = os === "linux" ? checkElf() : os === "darwin" ? checkMachO() : fail(`unknown platform ${platform}`);
process.stdout.write(`ok ${platform}: ${what} (${buf.length} bytes)\n`);
