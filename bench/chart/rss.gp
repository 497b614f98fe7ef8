# RSS over time, one line per series: dscan's --ticks and the reference's
# measure.mjs samples, both converted by bench/chart/series.sh to
# "seconds MB" lines.
#
#   gnuplot -e "out='rss.svg'; files='a.dat b.dat'; titles='dscan-10k rwsdk-10k'; \
#               heading='Peak memory, 10k modules'" bench/chart/rss.gp
#
# files and titles are space-separated lists of the same length (titles
# without spaces). Optional: logy=1 for a logarithmic RSS axis and logx=1
# for a logarithmic time axis (dscan and the reference differ by two or
# three orders of magnitude in both), xmax=SECONDS.
if (!exists("out")) out = 'rss.svg'
if (!exists("heading")) heading = 'Resident memory over time'
if (!exists("logy")) logy = 0
if (!exists("logx")) logx = 0

set terminal svg size 900,520 dynamic font 'sans,13' background rgb 'white'
set output out
set title heading noenhanced
set xlabel (logx ? 'time since start (s, log scale)' : 'time since start (s)')
set ylabel (logy ? 'RSS (MB, log scale)' : 'RSS (MB)')
set grid xtics ytics lc rgb '#dddddd'
set key outside right top noenhanced
set border 3
set xtics nomirror
set ytics nomirror
set xrange [0:*]
if (exists("xmax")) set xrange [0:xmax]
if (logx) { set logscale x 10; set xrange [0.005:*]; set format x '%g' }
if (logy) { set logscale y 10; set yrange [1:*]; set format y '%g' } else { set yrange [0:*] }

# dscan lines solid, reference lines dashed; a size has one colour in both
# (titles are "<scanner>-<size>[-note]": dscan-10k and rwsdk-10k-stopped match).
array palette[6] = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02']
n = words(files)
sizes = ''
do for [i=1:n] {
    t = word(titles, i)
    sz = t[strstrt(t, '-') + 1:]
    if (strstrt(sz, '-') > 0) { sz = sz[1:strstrt(sz, '-') - 1] }
    if (strstrt(sizes, ' '.sz.' ') == 0) { sizes = sizes.' '.sz.' ' }
    c = 0
    do for [j=1:words(sizes)] { if (word(sizes, j) eq sz) { c = j } }
    d = strstrt(t, 'dscan') == 1 ? 1 : 2
    set linetype 100 + i lc rgb palette[(c - 1) % 6 + 1] lw 2 dt d
}
plot for [i=1:n] word(files, i) using 1:2 with lines lt 100 + i title word(titles, i)
