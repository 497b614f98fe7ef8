#!/usr/bin/env node
// gen.mjs OUTDIR — writes a mui-shaped RedwoodSDK-layout app for precise
// mode (SPEC §4.10, issue 15): server pages importing 157 distinct icons
// by name from the @mui/icons-material barrel (10,750 "use client" icon
// files behind it), "use client" components importing from the
// @mui/material and @mantine/core barrels (and a few icons on the client
// side), and a "use server" action file. package.json, pnpm-workspace.yaml
// and the committed pnpm-lock.yaml are copied beside it; install with
// bench/reference/setup.sh OUTDIR (pnpm, frozen lockfile). Deterministic:
// no clock, no randomness. Writes ICONS.txt: the icon names src/ imports.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: gen.mjs OUTDIR");
  process.exit(2);
}
// Base icons (no Outlined/Rounded/Sharp/TwoTone variant), every 13th of
// @mui/icons-material 9.5.0's index.mjs.
const ICONS = "Abc AccountCircle AddComment AddToDrive AirlineSeatIndividualSuite Alarm AllOut AppSettingsAlt ArrowCircleLeft ArrowUpward Assistant Audiotrack AvTimer BarcodeReader Battery60 BatterySaver Biotech BluetoothSearching Bookmarks Boy BrightnessMedium Bungalow CalendarViewMonth CameraEnhance CarRental Category ChatBubble Church Cloud Coffee CompassCalibration ContactSupport ConveyorBelt Crib CropSquare CurtainsClosed Dataset DepartureBoard DeviceThermostat DirectionsBike DirectionsTransit DoDisturb Domain DownhillSkiing DriveFolderUpload Edit EightK ElectricMoped EmojiFoodBeverage Euro ExpandMore FaceRetouchingNatural FeaturedVideo FileDownload Filter6 FilterListAlt FitScreen FlashOff FlipToFront FolderSpecial FormatAlignRight FormatListNumberedRtl Forward10 FrontHand Gesture GpsNotFixed GridView Handyman Headphones HelpCenter Hive Hotel Http ImportantDevices InsertPhoto Iron KeyboardArrowDown KeyboardOptionKey Language Lens LinearScale LocalAtm LocalLaundryService LocalSee LockReset LowPriority Man3 MarkEmailUnread MeetingRoom Microsoft ModeComment MonitorWeight MoveDown MusicOff NestCamWiredStand NextWeek NoBackpack NoSim Note OfflinePin OpenInNewOff Paid PanoramaWideAngle PedalBike PermPhoneMsg PersonRemove PhoneDisabled PhonelinkSetup PianoOff Place PlaylistPlay Power PrivacyTip QrCode Radar RebaseEdit RememberMe RepeatOne RequestPage RocketLaunch RoundaboutRight SafetyCheck ScatterPlot ScreenSearchDesktop SecurityUpdateGood Sensors SettingsBluetooth SettingsSuggest ShieldMoon ShuffleOn SignalCellularConnectedNoInternet1Bar SignalWifi3Bar SimCardDownload Slideshow Snowboarding SouthAmerica SpeakerPhone SportsGymnastics SquareFoot Start Storm Subtitles SwapCalls SwipeUpAlt SyncLock TableView TempleBuddhist TextRotationDown ThreeGMobiledata Thunderstorm Title TrackChanges TrendingUp TurnSlightLeft TwoK UnfoldMoreDouble VapingRooms".split(" ");
const MUI = ["Button", "TextField", "Card", "CardContent", "Dialog", "Tooltip", "Chip", "Avatar",
  "Typography", "Box", "Stack", "Paper", "Tabs", "Tab", "Menu", "MenuItem", "Select", "Checkbox",
  "Switch", "Slider", "Snackbar", "Alert", "AppBar", "Toolbar", "IconButton", "List", "ListItem",
  "Drawer", "Badge"];
const MANTINE = ["Button", "TextInput", "Card", "Modal", "Tooltip", "Badge", "Group", "Stack",
  "MantineProvider", "Tabs", "Select", "Checkbox"];
const PAGES = 20;
const CLIENTS = 15;

function write(rel, text) {
  const f = path.join(out, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
}
fs.mkdirSync(out, { recursive: true });
for (const f of ["package.json", "pnpm-workspace.yaml", "pnpm-lock.yaml"])
  if (fs.existsSync(path.join(HERE, f))) fs.copyFileSync(path.join(HERE, f), path.join(out, f));
write("tsconfig.json", JSON.stringify({ compilerOptions: { jsx: "react-jsx", module: "esnext",
  moduleResolution: "bundler", strict: true, paths: { "@/*": ["./src/*"] } } }, null, 2) + "\n");

const used = new Set();
const pageImports = [];
for (let p = 0; p < PAGES; p++) {
  // Page p takes icons p, p + PAGES, p + 2 * PAGES … : every icon once.
  const icons = ICONS.filter((_, i) => i % PAGES === p);
  icons.forEach((n) => used.add(n));
  const clients = [p % CLIENTS, (p * 7 + 3) % CLIENTS];
  write(`src/app/pages/Page${p}.tsx`, [
    `import { ${icons.join(", ")} } from "@mui/icons-material";`,
    ...clients.map((c) => `import { Client${c} } from "@/app/components/Client${c}";`),
    'import { save } from "@/app/actions";',
    "",
    `export function Page${p}() {`,
    "  return (",
    "    <main>",
    ...icons.map((n) => `      <${n} />`),
    ...clients.map((c) => `      <Client${c} onSave={save} />`),
    "    </main>",
    "  );",
    "}",
    "",
  ].join("\n"));
  pageImports.push(p);
}
for (let c = 0; c < CLIENTS; c++) {
  const mui = MUI.filter((_, i) => i % CLIENTS === c || i % 7 === c % 7);
  const man = MANTINE.filter((_, i) => i % 5 === c % 5);
  // Two components also use icons on the client side (by name, the same barrel).
  const icons = c < 2 ? [ICONS[c], ICONS[c + 50]] : [];
  icons.forEach((n) => used.add(n));
  write(`src/app/components/Client${c}.tsx`, [
    '"use client";',
    `import { ${mui.join(", ")} } from "@mui/material";`,
    `import { ${man.map((n) => `${n} as Mantine${n}`).join(", ")} } from "@mantine/core";`,
    ...(icons.length ? [`import { ${icons.join(", ")} } from "@mui/icons-material";`] : []),
    "",
    `export function Client${c}({ onSave }: { onSave: () => Promise<void> }) {`,
    `  const parts = [${[...mui, ...man.map((n) => "Mantine" + n), ...icons].join(", ")}];`,
    "  return <div onClick={() => onSave()}>{parts.length}</div>;",
    "}",
    "",
  ].join("\n"));
}
write("src/app/actions.ts", '"use server";\n\nexport async function save() {}\n');
write("src/worker.tsx", [
  ...pageImports.map((p) => `import { Page${p} } from "@/app/pages/Page${p}";`),
  "",
  `export const pages = [${pageImports.map((p) => `Page${p}`).join(", ")}];`,
  "export default { fetch() { return new Response(String(pages.length)); } };",
  "",
].join("\n"));
write("ICONS.txt", [...used].sort().join("\n") + "\n");
