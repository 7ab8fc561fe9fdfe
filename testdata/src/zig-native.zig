// zig-native: a Zig program (not `zig cc`) built with `zig build-exe -target x86_64-linux
// -O ReleaseSafe`: static ET_EXEC with Zig's own start code and std library, no libc at all.
// ReleaseSafe keeps Zig's safety-check panic messages (e.g. "reached unreachable code").
const std = @import("std");

pub fn main(init: std.process.Init) !void {
    try std.Io.File.stdout().writeStreamingAll(init.io, "ok zig-native\n");
}
