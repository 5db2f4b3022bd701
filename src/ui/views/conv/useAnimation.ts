import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Frame stepping for an animation: play and pause, step, scrub, speed (frames per second).
 * Under prefers-reduced-motion playing still advances, one frame at a time, without tweening.
 */
export function useAnimation(frames: number) {
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(4);
  const last = useRef<number | null>(null);
  const carry = useRef(0);
  const clamp = useCallback((n: number) => Math.max(0, Math.min(frames - 1, n)), [frames]);
  // A new layer starts from its first frame.
  const [seenFrames, setSeenFrames] = useState(frames);
  if (seenFrames !== frames) {
    setSeenFrames(frames);
    setFrame(0);
    setPlaying(false);
  }
  useEffect(() => {
    if (!playing) return;
    let id = 0;
    const tick = (time: number) => {
      if (last.current !== null) {
        carry.current += ((time - last.current) / 1000) * speed;
        const whole = Math.floor(carry.current);
        if (whole > 0) {
          carry.current -= whole;
          setFrame((f) => {
            const next = f + whole;
            if (next >= frames - 1) setPlaying(false);
            return Math.min(next, frames - 1);
          });
        }
      }
      last.current = time;
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(id);
      last.current = null;
      carry.current = 0;
    };
  }, [playing, speed, frames]);
  return {
    frame,
    playing,
    speed,
    setSpeed,
    toggle: () => {
      if (!playing && frame >= frames - 1) setFrame(0);
      setPlaying(!playing);
    },
    step: (delta: number) => {
      setPlaying(false);
      setFrame((f) => clamp(f + delta));
    },
    seek: (n: number) => {
      setPlaying(false);
      setFrame(clamp(n));
    },
  };
}
