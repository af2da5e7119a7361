import { useId } from "react";
import { formatPoints } from "../shared/format";

export interface IntervalRow {
  label: string;
  /** null: no estimate (sample too small); the row shows as text. */
  estimate: { value: number; lower: number; upper: number } | null;
}

const WIDTH = 640;
const ROW_H = 30;
const LABEL_W = 200;
const PAD_RIGHT = 16;

/**
 * Lift over holdout per trigger: a dot for the estimate and a line for its 95% interval,
 * around a zero line. An interval crossing zero says "no proven effect yet".
 */
export function IntervalChart({ rows, title }: { rows: IntervalRow[]; title: string }) {
  const titleId = useId();
  const bound = Math.max(0.05, ...rows.flatMap((r) => (r.estimate ? [Math.abs(r.estimate.lower), Math.abs(r.estimate.upper)] : [])));
  const span = Math.ceil(bound * 20) / 20;
  const plotW = WIDTH - LABEL_W - PAD_RIGHT;
  const x = (v: number) => LABEL_W + ((v + span) / (2 * span)) * plotW;
  const height = ROW_H * rows.length + 28;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} style={{ display: "block", maxHeight: 40 + ROW_H * rows.length }}>
      <title id={titleId}>{title}</title>
      <line x1={x(0)} x2={x(0)} y1={0} y2={ROW_H * rows.length} stroke="#8a8a8a" strokeDasharray="3 3" />
      {[-span, 0, span].map((v) => (
        <text key={v} x={x(v)} y={height - 8} textAnchor="middle" fontSize="11" fill="#616161">
          {formatPoints(v, 0)}
        </text>
      ))}
      {rows.map((r, i) => {
        const cy = ROW_H * i + ROW_H / 2;
        const e = r.estimate;
        const tone = e ? (e.lower > 0 ? "#29845a" : e.upper < 0 ? "#c70a24" : "#616161") : "#8a8a8a";
        return (
          <g key={`${r.label}-${i}`}>
            <text x={LABEL_W - 8} y={cy + 4} textAnchor="end" fontSize="12" fill="#303030">
              {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
            </text>
            {e ? (
              <>
                <line x1={x(e.lower)} x2={x(e.upper)} y1={cy} y2={cy} stroke={tone} strokeWidth={3} strokeLinecap="round" />
                <circle cx={x(e.value)} cy={cy} r={5} fill={tone} />
              </>
            ) : (
              <text x={x(0) + 8} y={cy + 4} fontSize="11" fill="#8a8a8a">
                sample too small
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
