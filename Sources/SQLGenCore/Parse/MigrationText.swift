import Foundation

/// Prepares migration files for the catalog: keeps the "up" part of files
/// written for goose, dbmate and sql-migrate, and recognises golang-migrate's
/// separate down files.
public enum MigrationText {
    /// Whether a file name is a golang-migrate down migration (`*.down.sql`).
    public static func isDownMigration(fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".down.sql")
    }

    /// The text with every down section blanked out: each byte of those
    /// lines but the line breaks becomes a space, so that byte offsets, lines
    /// and columns of the rest stay exactly those of the file.
    ///
    /// Down sections start at `-- +goose Down`, `-- migrate:down` or
    /// `-- +migrate Down`, and end at the matching up marker or the end of file.
    public static func upSections(of text: String) -> String {
        guard text.contains("+goose") || text.contains("migrate:") || text.contains("+migrate") else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var inDown = false
        var start = 0
        while start <= bytes.count {
            // A line ends at `\r\n`, `\n` or `\r` (``LineBreaks``); the breaks are kept as they are.
            var end = start
            while end < bytes.count, !LineBreaks.isBreak(bytes[end]) { end += 1 }
            let marker = markerKind(String(decoding: bytes[start..<end], as: UTF8.self))
            if marker == .down { inDown = true }
            if marker == .up { inDown = false }
            if inDown {
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: end - start))
            } else {
                output.append(contentsOf: bytes[start..<end])
            }
            let breakLength = LineBreaks.length(in: bytes, at: end)
            guard breakLength > 0 else { break }
            output.append(contentsOf: bytes[end..<end + breakLength])
            start = end + breakLength
        }
        return String(decoding: output, as: UTF8.self)
    }

    private enum Marker { case up, down, none }

    private static func markerKind(_ line: String) -> Marker {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("--") else { return .none }
        let words = trimmed.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard let first = words.first else { return .none }
        switch first {
        case "+goose", "+migrate":
            if words.count >= 2, words[1] == "down" { return .down }
            if words.count >= 2, words[1] == "up" { return .up }
        case "migrate:down": return .down
        case "migrate:up": return .up
        default: break
        }
        return .none
    }
}
