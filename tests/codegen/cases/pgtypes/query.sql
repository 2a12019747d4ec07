-- name: CreateShape :one
INSERT INTO shapes (
    id, i4, i8, num, day, ts, tstz, i4s, i8s, nums, days, tss, tstzs, flags, bits,
    pt, ln, seg, bx, pth, poly, circ, o, rel, typ, x, x8, c, lsn, cash, mac, mac8, doc, search,
    i4_list, bits_list, pt_list, circ_list, rel_list, lsn_list, mac_list, span, addr, net, nets
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
    $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38,
    $39, $40, $41, $42, $43, $44, $45
)
RETURNING *;

-- name: GetShape :one
SELECT * FROM shapes WHERE id = $1;

-- name: ShapesOverlapping :many
SELECT id FROM shapes WHERE i4 && sqlc.arg(span)::int4range ORDER BY id;

-- name: CreateBlankShape :exec
INSERT INTO shapes (id) VALUES ($1);

-- name: CreatePlacedShapes :batchexec
INSERT INTO shapes (id, pt, lsn, i4s) VALUES ($1, $2, $3, $4);
