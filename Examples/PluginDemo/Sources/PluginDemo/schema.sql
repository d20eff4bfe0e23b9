CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE todos (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    priority priority NOT NULL DEFAULT 'low',
    done_at timestamptz
);
