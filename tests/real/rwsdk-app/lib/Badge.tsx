"use client";

import { useState } from "react";
import { Star } from "lucide-react";

// Outside src/: RedwoodSDK's pre-scan of src/ does not see it, so only a
// scan from an importer finds it.
export function Badge({ label }: { label: string }) {
  const [on, setOn] = useState(false);
  return (
    <button id="dscan-hmr-badge" onClick={() => setOn(!on)}>
      <Star size={12} /> {label} {on ? "on" : "off"}
    </button>
  );
}
