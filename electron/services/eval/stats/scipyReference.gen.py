# Generator of the SciPy reference values recorded in scipyReference.testdata.ts and specialFunctions.test.ts.
# Not run by the tests (they never call Python). Needs scipy==1.17.1 and numpy; writes /tmp/h7/ref.json.
import numpy as np, scipy, json
from scipy import stats, special
assert scipy.__version__ == '1.17.1'
out = []
def arr(x): return '[' + ', '.join(repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in x) + ']'
def sample(rng, n, loc, scale, dec=2):
    return np.round(rng.normal(loc, scale, n), dec)

# ---------- Welch + effect sizes (independent)
welch = []
specs = [(5,5,0,1,0,1),(8,12,0,1,0.5,2),(3,4,1,0.5,2,0.4),(20,20,10,3,11,3),(2,2,0,1,1,1),(30,10,0,1,0.2,5),(50,60,100,15,95,10),
         (6,9,0.3,0.1,0.35,0.12),(15,15,0,1,3,1),(40,40,0.5,0.2,0.52,0.21),(7,3,5,2,5,8),(100,80,0,1,0.1,1.2),(12,25,1,1,1,1),(4,40,0,0.1,1,3),(25,25,0,1,8,1)]
for k,(na,nb,ma,sa,mb,sb) in enumerate(specs):
    rng = np.random.default_rng(100+k)
    a = sample(rng,na,ma,sa); b = sample(rng,nb,mb,sb)
    r = stats.ttest_ind(a,b,equal_var=False)
    va, vb = np.var(a,ddof=1), np.var(b,ddof=1)
    sp = np.sqrt(((na-1)*va+(nb-1)*vb)/(na+nb-2)); d = (a.mean()-b.mean())/sp
    df = na+nb-2; J = special.gamma(df/2)/(np.sqrt(df/2)*special.gamma((df-1)/2)) if df < 300 else np.exp(special.gammaln(df/2)-0.5*np.log(df/2)-special.gammaln((df-1)/2))
    welch.append(dict(a=a,b=b,t=r.statistic,df=r.df,p=r.pvalue,d=d,g=d*J))
# ---------- paired t + dz + wilcoxon
paired = []
pspecs = [(5,0.5,1),(8,0.2,1),(10,1,0.5),(15,0,1),(20,0.3,1),(3,1,1),(30,0.1,0.5),(12,-0.5,1),(40,0.05,0.3),(60,0.2,1),(7,2,1),(25,-0.1,0.2),(100,0.1,1),(9,0.4,0.4),(50,0.3,1)]
for k,(n,shift,sd) in enumerate(pspecs):
    rng = np.random.default_rng(200+k)
    a = sample(rng,n,5,2,3); b = np.round(a - rng.normal(shift,sd,n), 3)
    r = stats.ttest_rel(a,b)
    dd = a-b; dz = dd.mean()/np.std(dd,ddof=1)
    paired.append(dict(a=a,b=b,t=r.statistic,df=r.df,p=r.pvalue,dz=dz))
# ---------- wilcoxon: exact / permutation / asymptotic mixes
wil = []
wspecs = [('exact',6,1,0.5,2),('exact',10,0.3,1,3),('exact',20,0.5,1,3),('exact',35,0.2,1,3),('exact',50,0.1,1,3),('exact',4,-1,1,3),
          ('perm',8,0.5,1,0),('perm',12,0.3,1,0),('perm',13,1,1,0),('perm',6,0,1,0),
          ('asym',20,0.5,1,0),('asym',40,0.2,1,0),('asym',51,0.3,1,3),('asym',120,0.1,1,3),('asym',30,-0.4,1,0)]
for k,(kind,n,shift,sd,dec) in enumerate(wspecs):
    rng = np.random.default_rng(300+k)
    a = np.round(rng.normal(5,2,n),dec)
    b = np.round(a - rng.normal(shift,sd,n)*(1 if dec else 2), dec)
    if kind=='perm' or kind=='asym' and dec==0:
        b[0] = a[0]  # force a zero difference
    r = stats.wilcoxon(a,b)
    d = a-b; nz = d[d!=0]; rk = stats.rankdata(np.abs(nz)); rp = rk[nz>0].sum(); rm = rk[nz<0].sum()
    wil.append(dict(kind=kind,a=a,b=b,stat=r.statistic,p=r.pvalue,rb=(rp-rm)/(rp+rm)))
# ---------- mcnemar
mc = []
for (bb,cc) in [(1,5),(0,4),(3,3),(2,9),(10,2),(7,12),(12,12),(0,24),(24,0),(13,11),(20,30),(5,40),(60,45),(100,70),(1,1)]:
    n=bb+cc
    pe = stats.binomtest(min(bb,cc), n, 0.5).pvalue
    st = (abs(bb-cc)-1)**2/n; pc = stats.chi2.sf(st,1)
    mc.append(dict(b=bb,c=cc,pExact=pe,chi2=st,pChi2=pc))
# ---------- special functions
sf = dict(
  betainc=[(x,a,b,special.betainc(a,b,x)) for (x,a,b) in [(0.1,0.5,0.5),(0.5,2,3),(0.9,10,0.5),(0.001,0.5,30),(0.3,100,200),(0.7,1,1),(0.99,0.5,5)]],
  gammaincc=[(a,x,special.gammaincc(a,x)) for (a,x) in [(0.5,0.1),(0.5,4),(1,3),(3,1),(10,25),(0.5,900),(50,40)]],
  erfc=[(x,special.erfc(x)) for x in [-2,-0.5,0.01,0.5,1,3,6,10]],
  tsf=[(t,df,2*stats.t.sf(abs(t),df)) for (t,df) in [(0.5,3),(2.1,10),(-4,5.5),(12,30),(1.96,1000),(30,4)]],
  chi2sf=[(x,k,stats.chi2.sf(x,k)) for (x,k) in [(3.84,1),(0.1,1),(10,3),(50,1),(25,10)]],
  binomcdf=[(k,n,p,stats.binom.cdf(k,n,p)) for (k,n,p) in [(0,5,0.5),(3,10,0.5),(7,24,0.5),(20,100,0.3),(1,3,0.9)]],
  ndtri=[(p,special.ndtri(p)) for p in [1e-10,0.001,0.025,0.3,0.5,0.8,0.975,0.9999]],
  gammaln=[(x,special.gammaln(x)) for x in [0.1,0.5,1.5,7,33.3,1000]],
)
# ---------- bootstrap reference (BCa, large resamples) for an agreement check
rng = np.random.default_rng(5)
ba = np.round(rng.exponential(2,40),2); bb_ = np.round(rng.exponential(1.5,40),2)
bs_paired = stats.bootstrap((ba-bb_,), np.mean, n_resamples=99999, method='BCa', rng=np.random.default_rng(1)).confidence_interval
bs_paired_p = stats.bootstrap((ba-bb_,), np.mean, n_resamples=99999, method='percentile', rng=np.random.default_rng(1)).confidence_interval
bs_ind = stats.bootstrap((ba,bb_), lambda x,y,axis: np.mean(x,axis=axis)-np.mean(y,axis=axis), n_resamples=99999, method='BCa', rng=np.random.default_rng(1)).confidence_interval
json.dump(dict(
 welch=[{k:(v.tolist() if isinstance(v,np.ndarray) else float(v)) for k,v in w.items()} for w in welch],
 paired=[{k:(v.tolist() if isinstance(v,np.ndarray) else float(v)) for k,v in w.items()} for w in paired],
 wil=[{k:(v.tolist() if isinstance(v,np.ndarray) else (v if isinstance(v,str) else float(v))) for k,v in w.items()} for w in wil],
 mc=[{k:float(v) for k,v in m.items()} for m in mc],
 sf={k:[[float(x) for x in t] for t in v] for k,v in sf.items()},
 boot=dict(a=ba.tolist(), b=bb_.tolist(), pairedBca=[bs_paired.low,bs_paired.high], pairedPct=[bs_paired_p.low,bs_paired_p.high], indBca=[bs_ind.low,bs_ind.high]),
), open('/tmp/h7/ref.json','w'))
print('ok')
