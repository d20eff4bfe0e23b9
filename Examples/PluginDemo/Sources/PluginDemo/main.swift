import Foundation
import SQLGenRuntime

// The SQL of the queries sqlgen generated at build time.
print(QueriesQueries.addTodoSQL)
print(QueriesQueries.openTodosSQL)
print(Priority.allCases.map(\.rawValue).joined(separator: ","))

// Connect and run them when a database with schema.sql applied is given:
//   PluginDemo postgres://localhost/demo
if CommandLine.arguments.count > 1 {
    do {
        let connection = try await PostgresSession.connect(PostgresConfiguration(url: CommandLine.arguments[1]))
        let todos = QueriesQueries(connection)
        let todo = try await todos.addTodo(title: "Try sqlgen", priority: .high)
        print("added \(todo.id): \(todo.title)")
        print(try await todos.openTodos().map(\.title))
        await connection.close()
    } catch {
        FileHandle.standardError.write(Data("PluginDemo: \(error)\n".utf8))
        exit(1)
    }
}
