import Foundation

/// Reads SQL inputs from disk: the one place in the generator library that
/// touches the file system, so that the CLI, the plugins, the tests and the
/// benchmarks gather inputs the same way.
public enum SQLFileLoader {
    /// The `.sql` files named by `paths` (files, or folders read recursively
    /// in lexicographic order), each read into a ``SourceFile`` whose display
    /// path is relative to `base` when it lies below it.
    ///
    /// - Parameters:
    ///   - paths: files or folders, absolute or relative to `base`.
    ///   - base: the folder relative paths start from.
    ///   - migrations: when true, golang-migrate `*.down.sql` files
    ///     are skipped and goose, dbmate and sql-migrate down sections blanked out.
    public static func load(paths: [String], relativeTo base: String, migrations: Bool) throws(Diagnostic)
        -> [SourceFile]
    {
        var files: [SourceFile] = []
        for path in paths {
            let absolute = absolutePath(path, base: base)
            for file in try sqlFiles(at: absolute, shownAs: path) {
                if migrations, MigrationText.isDownMigration(fileName: (file as NSString).lastPathComponent) {
                    continue
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw Diagnostic(.error, "cannot read \(file)")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw Diagnostic(.error, "\(displayPath(file, base: base)): file is not valid UTF-8")
                }
                files.append(
                    SourceFile(
                        path: displayPath(file, base: base),
                        text: migrations ? MigrationText.upSections(of: text) : text))
            }
        }
        return files
    }

    /// `path` made absolute against `base`.
    public static func absolutePath(_ path: String, base: String) -> String {
        let url =
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// `file` relative to `base` (with `../` when it lies outside), so that output never
    /// depends on where the project is checked out.
    public static func displayPath(_ file: String, base: String) -> String {
        let root = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let target = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        var common = 0
        while common < root.count, common < target.count, root[common] == target[common] { common += 1 }
        // Only the filesystem root in common: an absolute path reads better.
        guard common > 1 else { return file }
        let up = Array(repeating: "..", count: root.count - common)
        return (up + target[common...]).joined(separator: "/")
    }

    private static func sqlFiles(at path: String, shownAs original: String) throws(Diagnostic) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Diagnostic(.error, "\(original): no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.lowercased().hasSuffix(".sql") { found.append(relative) }
        }
        // Lexicographic by bytes, as migration tools order their files.
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { path + "/" + $0 }
    }
}
