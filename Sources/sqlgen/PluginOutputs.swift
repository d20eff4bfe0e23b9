import Foundation
import SQLGenCore

/// Where the build plugin wants each generated file: the models spread over a few files and each
/// query file's code in a file of its own, all named by the plugin before sqlgen runs (SwiftPM needs a build
/// command's outputs up front). One file per query file lets SwiftPM compile them in parallel and,
/// after an edit, recompile only the file whose bytes changed.
struct PluginOutputs {
    /// The files that receive the models, which are spread over them by name.
    var models: [String]
    /// The output file of each query file, by the query file's standardized absolute path.
    var queries: [String: String]

    /// Reads `--query-output QUERY_FILE=SWIFT_FILE` arguments (split at the last `=`).
    init(models: [String], queryOutputs: [String]) throws(Diagnostic) {
        self.models = models
        var queries: [String: String] = [:]
        for argument in queryOutputs {
            guard let separator = argument.lastIndex(of: "="), separator != argument.startIndex,
                argument.index(after: separator) != argument.endIndex
            else {
                throw Diagnostic(.error, "--query-output expects QUERY_FILE=SWIFT_FILE, not '\(argument)'")
            }
            let queryFile = Self.standardized(String(argument[..<separator]))
            queries[queryFile] = String(argument[argument.index(after: separator)...])
        }
        self.queries = queries
    }

    /// `path` absolute and without `.` or `..`, as ``SQLFileLoader/absolutePath(_:base:)`` writes it.
    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Groups the files by destination: every declared output gets contents (a query file with no
    /// queries gets just the header), and a query file the plugin did not declare is an error.
    func contents(of files: [GeneratedFile], base: String) throws(Diagnostic) -> [String: String] {
        var byDestination: [String: [GeneratedFile]] = [:]
        for destination in models + queries.values { byDestination[destination] = [] }
        // Each entry's model files come in order, one per declared models output.
        var modelIndex = 0
        for file in files {
            guard let queryFile = file.queryFile else {
                byDestination[models[modelIndex % models.count], default: []].append(file)
                modelIndex += 1
                continue
            }
            let absolute = SQLFileLoader.absolutePath(queryFile, base: base)
            guard let destination = queries[absolute] else {
                throw Diagnostic(
                    .error,
                    "\(queryFile): the build plugin declared no output for this query file (it reads the 'queries:' paths of sqlgen.yaml); run `swift package clean` if the file was just added, or name it under 'queries:'"
                )
            }
            byDestination[destination, default: []].append(file)
        }
        var contents: [String: String] = [:]
        for (destination, files) in byDestination {
            switch files.count {
            case 0: contents[destination] = SwiftEmitter.header + "\n"
            case 1: contents[destination] = files[0].contents
            default: contents[destination] = GeneratedFileWriter.singleFile(files)
            }
        }
        return contents
    }

    /// Writes each file whose bytes differ from what is there, so an unchanged output keeps its date
    /// and SwiftPM does not compile it again.
    static func write(_ contents: [String: String]) throws(Diagnostic) {
        for (path, text) in contents.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            if FileManager.default.contents(atPath: path) == data { continue }
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw Diagnostic(.error, "cannot create \(folder): \(error.localizedDescription)")
            }
            guard FileManager.default.createFile(atPath: path, contents: data) else {
                throw Diagnostic(.error, "cannot write \(path)")
            }
        }
    }
}
