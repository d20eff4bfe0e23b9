-- name: CreateDeal :one
INSERT INTO deals (title, contact_id, company_id, stage, amount, currency, probability, expected_close_date, owner_id)
VALUES (@title, @contact_id, @company_id, @stage, @amount, @currency, @probability, @expected_close_date, @owner_id)
RETURNING *;

-- name: GetDeal :one
SELECT d.*, c.first_name AS contact_first_name, c.last_name AS contact_last_name, co.name AS company_name
FROM deals d
LEFT JOIN contacts c ON c.id = d.contact_id
LEFT JOIN companies co ON co.id = d.company_id
WHERE d.id = @id;

-- name: UpdateDeal :one
UPDATE deals
SET title = @title, contact_id = @contact_id, company_id = @company_id, amount = @amount, currency = @currency,
    probability = @probability, expected_close_date = @expected_close_date, owner_id = @owner_id
WHERE id = @id
RETURNING *;

-- name: DeleteDeal :execrows
DELETE FROM deals WHERE id = @id;

-- name: ListDealsByOwner :many
SELECT * FROM deals WHERE owner_id = @owner_id ORDER BY expected_close_date NULLS LAST, id;

-- name: ListDealsByStage :many
SELECT * FROM deals WHERE stage = @stage ORDER BY amount DESC, id LIMIT @page_size OFFSET @page_offset;

-- Moves a deal to a stage and records the move in its history, in one statement.
-- Closing stages set closed_at; reopening clears it. A move to the stage the deal is already in
-- changes nothing and records nothing: the deal comes back as it is, its stage as the previous one.
-- name: MoveDealStage :one
WITH previous AS (
    SELECT id, stage, closed_at FROM deals WHERE id = @id FOR UPDATE
), moved AS (
    UPDATE deals d
    SET stage = @stage,
        closed_at = CASE WHEN @stage::deal_stage IN ('closed_won', 'closed_lost') THEN now() END,
        lost_reason = CASE WHEN @stage::deal_stage = 'closed_lost' THEN sqlc.narg(lost_reason) END
    FROM previous
    WHERE d.id = previous.id AND previous.stage <> @stage::deal_stage
    RETURNING d.id, d.stage, previous.stage AS previous_stage, d.closed_at
), history AS (
    INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, changed_by)
    SELECT id, previous_stage, stage, @changed_by FROM moved
)
SELECT id, stage, previous_stage, closed_at FROM moved
UNION ALL
SELECT id, stage, stage, closed_at FROM previous WHERE stage = @stage::deal_stage;

-- name: ListDealStageHistory :many
SELECT h.id, h.from_stage, h.to_stage, h.changed_at, u.email AS changed_by_email
FROM deal_stage_history h
LEFT JOIN users u ON u.id = h.changed_by
WHERE h.deal_id = @deal_id
ORDER BY h.changed_at, h.id;

-- How many deals and how much money sit in each stage.
-- name: PipelineSummary :many
SELECT stage, count(*) AS deals, sum(amount) AS total_amount, avg(probability) AS average_probability
FROM deals
GROUP BY stage
ORDER BY stage;

-- name: ListDealsClosingBetween :many
SELECT id, title, stage, amount, currency, expected_close_date, owner_id
FROM deals
WHERE expected_close_date BETWEEN @from_date AND @to_date AND stage NOT IN ('closed_won', 'closed_lost')
ORDER BY expected_close_date, id;

-- Won and lost deals per month, with the share won.
-- name: WinLossByMonth :many
SELECT date_trunc('month', closed_at) AS month,
       count(*) FILTER (WHERE stage = 'closed_won') AS won,
       count(*) FILTER (WHERE stage = 'closed_lost') AS lost,
       round(count(*) FILTER (WHERE stage = 'closed_won')::numeric / count(*), 4) AS win_ratio
FROM deals
WHERE closed_at IS NOT NULL
GROUP BY 1
ORDER BY 1;
