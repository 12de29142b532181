//! Seeded generator of synthetic IAM export dumps, for benchmarks and soak tests.
//!
//! ```text
//! cargo run --release --example generate_dump -- --accounts 1000 --users 50 --roles 50 --seed 7 --out /tmp/dump
//! ```
//!
//! Writes one folder per account, a level under a few business-unit folders, each with a
//! credential report (plain CSV, `get-credential-report` JSON with base64 or plain `Content`,
//! or an Excel-style CSV with BOM and CRLF), an authorization details export (every 5th account
//! split into 2-3 pages; documents as JSON objects, URL-encoded strings or JSON text) and often
//! a password policy, plus `organizations-list-accounts.json` at the top. With `--listed N` the
//! list names N accounts: the generated ones and N minus those that sent no exports (every
//! tenth of those SUSPENDED), as an organization where only some accounts are audited. The same
//! seed gives the same bytes. All data is fictional.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

const USAGE: &str = "\
usage: generate_dump --out DIR [--accounts N] [--listed L] [--users U] [--roles R] [--seed S]

  --out DIR       output folder (created; existing files with the same names are overwritten)
  --accounts N    number of accounts (default 10)
  --listed L      accounts in the organization account list (default: N; at least N)
  --users U       IAM users per account (default 20)
  --roles R       IAM roles per account (default 20)
  --seed S        seed; the same seed gives byte-identical output (default 1)";

/// 2025-06-30T12:00:00Z: every account's report is generated up to six hours before this.
const AS_OF_BASE: i64 = 1_751_284_800;
const DAY: i64 = 86_400;

/// `urllib.parse.quote(s, safe="")`, which is how raw-API documents are encoded.
const URL_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

const REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,\
password_last_changed,password_next_rotation,mfa_active,access_key_1_active,\
access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,\
access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,\
cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// The RequireMFA policy of seeds/enforce-2fa-policy-tutorial.txt, compacted.
const SEED_REQUIRE_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowListActions","Effect":"Allow","Action":["iam:ListUsers","iam:ListVirtualMFADevices"],"Resource":"*"},{"Sid":"AllowUserToCreateVirtualMFADevice","Effect":"Allow","Action":["iam:CreateVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/*"},{"Sid":"AllowUserToManageTheirOwnMFA","Effect":"Allow","Action":["iam:EnableMFADevice","iam:GetMFADevice","iam:ListMFADevices","iam:ResyncMFADevice"],"Resource":"arn:aws:iam::*:user/${aws:username}"},{"Sid":"AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA","Effect":"Allow","Action":["iam:DeactivateMFADevice"],"Resource":"arn:aws:iam::*:user/${aws:username}","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Sid":"AllowChangeOwnPasswordAndCreateLoginProfile","Effect":"Allow","Action":["iam:ChangePassword","iam:CreateLoginProfile"],"Resource":"arn:aws:iam::*:user/${aws:username}"},{"Sid":"BlockMostAccessUnlessSignedInWithMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ListUsers","iam:ListVirtualMFADevices","iam:ResyncMFADevice","iam:ChangePassword","iam:CreateLoginProfile"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;

/// The allow-with-MFA / deny-without-MFA pair of seeds/console-users-mfa-rule.txt.
const CONSOLE_RULE_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllActionsForUsersWithMFA","Effect":"Allow","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}},{"Sid":"DenyAllActionsForUsersWithoutMFA","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;

/// Self-service actions a user needs before an MFA device is set up.
const SELF_SERVICE: &str = r#""iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","iam:ChangePassword","iam:GetAccountPasswordPolicy","sts:GetSessionToken""#;

const AWS_ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const AWS_CHANGE_PASSWORD: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}"#;
const AWS_LAMBDA_BASIC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

const BUSINESS_UNITS: &[&str] = &[
    "retail",
    "payments",
    "platform",
    "data-science",
    "corporate-it",
];
const ENVS: &[&str] = &["prod", "staging", "dev", "sandbox", "shared"];
const FIRST: &[&str] = &[
    "alice", "bruno", "chen", "dana", "emeka", "fatima", "gustav", "hana", "igor", "julia", "kofi",
    "lena", "mateo", "nadia", "oscar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "viktor",
    "wen", "ximena", "yusuf", "zoe",
];
const LAST: &[&str] = &[
    "adams", "becker", "costa", "dubois", "eriksen", "fischer", "garcia", "haddad", "ito",
    "jensen", "kowalski", "lopez", "moreau", "nakamura", "okafor", "petrov", "rossi", "silva",
    "tanaka", "umar", "vargas", "weber", "yilmaz", "zhang",
];
const APPS: &[&str] = &[
    "billing", "checkout", "catalog", "search", "ledger", "reports", "ingest", "notify", "etl",
    "portal",
];
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];
const SERVICES: &[&str] = &[
    "s3",
    "sts",
    "ec2",
    "iam",
    "ecr",
    "lambda",
    "dynamodb",
    "cloudformation",
];
const SERVICE_PRINCIPALS: &[&str] = &[
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
    "states.amazonaws.com",
    "codebuild.amazonaws.com",
    "events.amazonaws.com",
    "sagemaker.amazonaws.com",
];
const PERMISSION_SETS: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "Billing",
];

// ------------------------------------------------------------------------------------------
// Arguments

struct Args {
    accounts: usize,
    listed: Option<usize>,
    users: usize,
    roles: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        accounts: 10,
        listed: None,
        users: 20,
        roles: 20,
        seed: 1,
        out: PathBuf::new(),
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {value}"))
        };
        match flag.as_str() {
            "--accounts" => args.accounts = number()? as usize,
            "--listed" => args.listed = Some(number()? as usize),
            "--users" => args.users = number()? as usize,
            "--roles" => args.roles = number()? as usize,
            "--seed" => args.seed = number()?,
            "--out" => out = Some(PathBuf::from(&value)),
            _ => return Err(format!("unknown argument: {flag}")),
        }
    }
    args.out = out.ok_or("--out is required")?;
    if args.accounts == 0 {
        return Err("--accounts must be at least 1".into());
    }
    if args.listed.is_some_and(|l| l < args.accounts) {
        return Err("--listed must be at least --accounts".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("{USAGE}");
            return if msg.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let start = Instant::now();
    match generate(&args) {
        Ok(stats) => {
            println!(
                "wrote {} accounts ({} users, {} roles each) to {}: {} files, {} bytes in {:.2} s",
                args.accounts,
                args.users,
                args.roles,
                args.out.display(),
                stats.files,
                stats.bytes,
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ------------------------------------------------------------------------------------------
// Deterministic randomness

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(splitmix64(seed ^ splitmix64(stream)))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.0)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    /// Index into `weights`, chosen with probability proportional to the weight.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
    /// An IAM unique ID: prefix and 17 characters of the base32 alphabet.
    fn unique_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::with_capacity(21);
        s.push_str(prefix);
        for _ in 0..17 {
            s.push(ALPHABET[self.below(32) as usize] as char);
        }
        s
    }
    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap())
            .collect()
    }
}

/// Distinct 12-digit IDs for the generated accounts, then for foreign (vendor) accounts, then
/// `unaudited` more for the listed accounts with no exports.
fn account_ids(
    seed: u64,
    n: usize,
    foreign: usize,
    unaudited: usize,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut rng = Rng::new(seed, u64::MAX);
    let mut seen = HashSet::new();
    let mut draw = |count: usize| -> Vec<String> {
        let mut ids = Vec::with_capacity(count);
        while ids.len() < count {
            let id = 100_000_000_000 + rng.below(900_000_000_000);
            if seen.insert(id) {
                ids.push(id.to_string());
            }
        }
        ids
    };
    let own = draw(n);
    let vendors = draw(foreign);
    let listed_only = draw(unaudited);
    (own, vendors, listed_only)
}

// ------------------------------------------------------------------------------------------
// Timestamps

#[derive(Clone, Copy)]
enum DateStyle {
    /// `2024-01-15T10:20:30+00:00` (CLI, older reports)
    Plus,
    /// `2025-01-28T17:25:12Z` (newer reports, raw API)
    Z,
    /// `2023-03-09 10:41:45+00:00` (collectors that call str() on datetimes)
    Space,
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push_ts(out: &mut Vec<u8>, t: i64, style: DateStyle) {
    let (y, mo, d) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    let sep = if matches!(style, DateStyle::Space) {
        ' '
    } else {
        'T'
    };
    let zone = if matches!(style, DateStyle::Z) {
        "Z"
    } else {
        "+00:00"
    };
    write!(
        out,
        "{y:04}-{mo:02}-{d:02}{sep}{:02}:{:02}:{:02}{zone}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
    .unwrap();
}

// ------------------------------------------------------------------------------------------
// A small streaming JSON writer: keys in the order written, CLI-style indentation.

struct Json {
    out: Vec<u8>,
    indent: usize,
    depth: usize,
    comma: bool,
    after_key: bool,
}

impl Json {
    fn new(indent: usize) -> Json {
        Json {
            out: Vec::with_capacity(1 << 16),
            indent,
            depth: 0,
            comma: false,
            after_key: false,
        }
    }
    fn newline(&mut self, depth: usize) {
        if self.indent > 0 {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + depth * self.indent, b' ');
        }
    }
    fn before_value(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if self.comma {
            self.out.push(b',');
        }
        if self.depth > 0 {
            self.newline(self.depth);
        }
    }
    fn open(&mut self, c: u8) {
        self.before_value();
        self.out.push(c);
        self.depth += 1;
        self.comma = false;
    }
    fn close(&mut self, c: u8) {
        self.depth -= 1;
        if self.comma {
            self.newline(self.depth);
        }
        self.out.push(c);
        self.comma = true;
    }
    fn obj(&mut self) {
        self.open(b'{');
    }
    fn end_obj(&mut self) {
        self.close(b'}');
    }
    fn arr(&mut self) {
        self.open(b'[');
    }
    fn end_arr(&mut self) {
        self.close(b']');
    }
    fn key(&mut self, k: &str) {
        self.before_value();
        push_json_string(&mut self.out, k);
        self.out.push(b':');
        if self.indent > 0 {
            self.out.push(b' ');
        }
        self.after_key = true;
    }
    fn str(&mut self, v: &str) {
        self.before_value();
        push_json_string(&mut self.out, v);
        self.comma = true;
    }
    fn raw(&mut self, v: &str) {
        self.before_value();
        self.out.extend_from_slice(v.as_bytes());
        self.comma = true;
    }
    fn kv(&mut self, k: &str, v: &str) {
        self.key(k);
        self.str(v);
    }
    fn kv_raw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.raw(v);
    }
    fn kv_ts(&mut self, k: &str, t: i64, style: DateStyle) {
        self.key(k);
        self.before_value();
        self.out.push(b'"');
        push_ts(&mut self.out, t, style);
        self.out.push(b'"');
        self.comma = true;
    }
    fn empty_arr(&mut self, k: &str) {
        self.key(k);
        self.arr();
        self.end_arr();
    }
    /// A compact JSON document, re-indented to sit at the current position.
    fn doc(&mut self, compact: &str) {
        self.before_value();
        self.comma = true;
        if self.indent == 0 {
            self.out.extend_from_slice(compact.as_bytes());
            return;
        }
        let b = compact.as_bytes();
        let (mut level, mut in_str, mut esc) = (self.depth, false, false);
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if in_str {
                self.out.push(c);
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    in_str = false;
                }
            } else {
                match c {
                    b'"' => {
                        in_str = true;
                        self.out.push(c);
                    }
                    b'{' | b'[' if matches!(b.get(i + 1), Some(b'}' | b']')) => {
                        self.out.extend_from_slice(&b[i..i + 2]);
                        i += 1;
                    }
                    b'{' | b'[' => {
                        self.out.push(c);
                        level += 1;
                        self.newline(level);
                    }
                    b'}' | b']' => {
                        level -= 1;
                        self.newline(level);
                        self.out.push(c);
                    }
                    b',' => {
                        self.out.push(c);
                        self.newline(level);
                    }
                    b':' => self.out.extend_from_slice(b": "),
                    _ => self.out.push(c),
                }
            }
            i += 1;
        }
    }
    /// A policy document in the account's chosen form.
    fn policy_doc(&mut self, k: &str, compact: &str, form: DocForm) {
        self.key(k);
        match form {
            DocForm::Object => self.doc(compact),
            DocForm::UrlEncoded => {
                let encoded = utf8_percent_encode(compact, URL_SET).to_string();
                self.str(&encoded);
            }
            DocForm::Text => self.str(compact),
        }
    }
    fn finish(&mut self) -> &[u8] {
        if self.indent > 0 {
            self.out.push(b'\n');
        }
        &self.out
    }
}

fn push_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &c in s.as_bytes() {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            c if c < 0x20 => write!(out, "\\u{c:04x}").unwrap(),
            c => out.push(c),
        }
    }
    out.push(b'"');
}

// ------------------------------------------------------------------------------------------
// Policy documents (compact JSON text, keys in AWS's order)

/// `"a"` for one item, `["a","b"]` for several.
fn jlist<S: AsRef<str>>(items: &[S]) -> String {
    if items.len() == 1 {
        return format!("\"{}\"", items[0].as_ref());
    }
    let inner: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    format!("[{}]", inner.join(","))
}

fn policy(statements: &[String]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn deny_all_when(condition: &str, sid: &str) -> String {
    format!(
        r#"{{"Sid":"{sid}","Effect":"Deny","Action":"*","Resource":"*","Condition":{condition}}}"#
    )
}

/// The MFA-deny variants the groups carry; the comment is what a checker should conclude.
fn mfa_policy(variant: usize) -> String {
    match variant {
        // Full enforcement: the seed tutorial policy.
        0 => SEED_REQUIRE_MFA.to_string(),
        // Full enforcement: the seed console-rule policy.
        1 => CONSOLE_RULE_MFA.to_string(),
        // Gap: Bool misses long-term access keys.
        2 => policy(&[deny_all_when(
            r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
            "DenyAllWithoutMFA",
        )]),
        // Full enforcement: no MFA age means no MFA, for keys and sessions alike.
        3 => policy(&[deny_all_when(
            r#"{"Null":{"aws:MultiFactorAuthAge":"true"}}"#,
            "DenyWithoutMFAAge",
        )]),
        // Gap: NotAction exempts s3:* besides the self-service actions.
        4 => policy(&[format!(
            r#"{{"Sid":"DenyMostWithoutMFA","Effect":"Deny","NotAction":[{SELF_SERVICE},"s3:*"],"Resource":"*","Condition":{{"BoolIfExists":{{"aws:MultiFactorAuthPresent":"false"}}}}}}"#
        )]),
        // Gap: narrowed to requests from outside the office network.
        5 => policy(&[deny_all_when(
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}"#,
            "DenyOffNetworkWithoutMFA",
        )]),
        // Full enforcement: AWS's documented pattern with aws:ViaAWSService.
        _ => policy(&[format!(
            r#"{{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":[{SELF_SERVICE}],"Resource":"*","Condition":{{"BoolIfExists":{{"aws:MultiFactorAuthPresent":"false","aws:ViaAWSService":"false"}}}}}}"#
        )]),
    }
}

fn admin_policy(sid: &str) -> String {
    policy(&[format!(
        r#"{{"Sid":"{sid}","Effect":"Allow","Action":"*","Resource":"*"}}"#
    )])
}

/// Version `v` (0-based) of an application policy: each version adds actions.
fn app_policy(app: &str, v: usize) -> String {
    const ACTIONS: &[&str] = &[
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
        "kms:Decrypt",
        "logs:PutLogEvents",
    ];
    let n = (3 + 2 * v).min(ACTIONS.len());
    let mut statements = vec![format!(
        r#"{{"Sid":"AppData","Effect":"Allow","Action":{},"Resource":["arn:aws:s3:::acme-{app}-data","arn:aws:s3:::acme-{app}-data/*","arn:aws:dynamodb:*:*:table/{app}-*"]}}"#,
        jlist(&ACTIONS[..n])
    )];
    if v >= 2 {
        statements.push(
            r#"{"Sid":"ReadParameters","Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParametersByPath"],"Resource":"*"}"#
                .to_string(),
        );
    }
    policy(&statements)
}

// ------------------------------------------------------------------------------------------
// The account model

#[derive(Clone, Copy, PartialEq)]
enum ReportForm {
    Csv,
    JsonBase64,
    JsonPlain,
    ExcelCsv,
}

#[derive(Clone, Copy)]
enum DocForm {
    Object,
    UrlEncoded,
    Text,
}

struct Password {
    /// None: `no_information` (never used).
    last_used: Option<i64>,
    last_changed: i64,
}

struct Key {
    active: bool,
    rotated: i64,
    /// None: `N/A` (never used).
    used: Option<(i64, &'static str, &'static str)>,
}

struct User {
    name: String,
    id: String,
    created: i64,
    password: Option<Password>,
    mfa: bool,
    keys: [Option<Key>; 2],
    groups: Vec<usize>,
    attached: Vec<usize>,
    inline: Vec<(String, String)>,
    boundary: Option<usize>,
    /// false: created after the authorization export, only in the credential report.
    in_authz: bool,
}

enum RootPassword {
    /// Reports before 2025: `not_supported`, with the last sign-in (None: `no_information`).
    NotSupported(Option<i64>),
    /// Centralized root access management removed the root credentials.
    Removed,
    Set(Password),
}

struct Root {
    created: i64,
    password: RootPassword,
    mfa: bool,
    keys: [Option<Key>; 2],
}

struct Group {
    name: &'static str,
    id: String,
    created: i64,
    attached: Vec<usize>,
    inline: Vec<(&'static str, String)>,
}

struct Role {
    name: String,
    id: String,
    path: String,
    created: i64,
    trust: String,
    attached: Vec<usize>,
    inline: Vec<(String, String)>,
    last_used: Option<(i64, &'static str)>,
    instance_profile: bool,
}

struct Policy {
    name: String,
    id: String,
    path: &'static str,
    aws_managed: bool,
    created: i64,
    /// (document, created), oldest first.
    versions: Vec<(String, i64)>,
    default: usize,
    attachments: u32,
    boundary_uses: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum PasswordPolicy {
    None,
    Strong,
    Weak,
    NotSet,
}

struct Account {
    id: String,
    folder: PathBuf,
    as_of: i64,
    report_form: ReportForm,
    report_dates: DateStyle,
    doc_form: DocForm,
    authz_dates: DateStyle,
    indent: usize,
    pages: usize,
    password_policy: PasswordPolicy,
    root: Option<Root>,
    users: Vec<User>,
    groups: Vec<Group>,
    roles: Vec<Role>,
    policies: Vec<Policy>,
}

// Indices of the fixed policies every account has (see `new_account`).
const P_AWS_ADMIN: usize = 0;
const P_AWS_CHANGE_PASSWORD: usize = 1;
const P_AWS_LAMBDA: usize = 2;
const P_ADMIN: usize = 3;
const P_BOUNDARY: usize = 4;
const P_SUPPORT: usize = 5;
// Groups: (name, MFA policy variant or none, attached as managed (true) or inline).
const GROUPS: &[(&str, Option<usize>, bool)] = &[
    ("Developers", Some(0), true),
    ("Contractors", Some(2), false),
    ("Operations", Some(3), true),
    ("Analysts", Some(4), false),
    ("RemoteStaff", Some(5), true),
    ("Admins", None, true),
    ("Support", None, true),
];

/// Adds a customer managed policy whose versions are spread between its creation and as-of.
fn push_customer(
    policies: &mut Vec<Policy>,
    rng: &mut Rng,
    (account_created, as_of): (i64, i64),
    name: String,
    versions: Vec<String>,
    default: usize,
) {
    let created = account_created + rng.range(0, 300) * DAY;
    let n = versions.len() as i64;
    let versions = versions
        .into_iter()
        .enumerate()
        .map(|(v, d)| (d, created + (v as i64) * (as_of - created) / (n + 1)))
        .collect();
    policies.push(Policy {
        name,
        id: rng.unique_id("ANPA"),
        path: "/",
        aws_managed: false,
        created,
        versions,
        default,
        attachments: 0,
        boundary_uses: 0,
    });
}

fn days_ago(rng: &mut Rng, as_of: i64, buckets: &[(i64, i64)], weights: &[u64]) -> i64 {
    let (lo, hi) = buckets[rng.weighted(weights)];
    as_of - rng.range(lo, hi) * DAY - rng.range(300, DAY - 1)
}

fn new_key(rng: &mut Rng, as_of: i64, created: i64, active: bool) -> Key {
    // Every age band, with 90/91 days (the rotation threshold) on its own.
    let rotated = days_ago(
        rng,
        as_of,
        &[(0, 30), (31, 89), (90, 91), (92, 365), (366, 1500)],
        &[25, 20, 10, 20, 25],
    )
    .max(created + 60);
    let used = if rng.chance(15) {
        None
    } else {
        let t = days_ago(
            rng,
            as_of,
            &[(0, 7), (8, 44), (45, 180), (181, 900)],
            &[55, 15, 15, 15],
        )
        .max(rotated + 30);
        Some((t, rng.pick(REGIONS), rng.pick(SERVICES)))
    };
    Key {
        active,
        rotated,
        used,
    }
}

fn new_password(rng: &mut Rng, as_of: i64, created: i64) -> Password {
    let last_changed = if rng.chance(50) {
        created
    } else {
        rng.range(created, as_of - 3600)
    };
    let last_used = if rng.chance(8) {
        None
    } else {
        let t = days_ago(
            rng,
            as_of,
            &[(0, 7), (8, 44), (45, 180), (181, 900)],
            &[60, 15, 15, 10],
        );
        Some(t.max(created + 120))
    };
    Password {
        last_used,
        last_changed,
    }
}

fn mfa_trust_condition(rng: &mut Rng, allow_external_id: bool) -> Vec<String> {
    let mut parts = Vec::new();
    match rng.weighted(&[40, 22, 8, 8, 8, 10, 4]) {
        1 => parts.push(r#""Bool":{"aws:MultiFactorAuthPresent":"true"}"#.to_string()),
        // Not MFA: passes when the key is absent.
        2 => parts.push(r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}"#.to_string()),
        3 => parts.push(r#""Null":{"aws:MultiFactorAuthAge":"false"}"#.to_string()),
        4 => parts.push(r#""NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}"#.to_string()),
        5 if allow_external_id => {
            let id = rng.hex(12);
            parts.push(format!(r#""StringEquals":{{"sts:ExternalId":"{id}"}}"#));
        }
        6 if allow_external_id => {
            let id = rng.hex(12);
            parts.push(format!(r#""StringEquals":{{"sts:ExternalId":"{id}"}}"#));
            parts.push(r#""Bool":{"aws:MultiFactorAuthPresent":"true"}"#.to_string());
        }
        _ => {}
    }
    parts
}

fn allow_stmt(principal: &str, action: &str, condition: &[String]) -> String {
    let mut s = format!(r#"{{"Effect":"Allow","Principal":{principal},"Action":{action}"#);
    if !condition.is_empty() {
        s.push_str(&format!(r#","Condition":{{{}}}"#, condition.join(",")));
    }
    s.push('}');
    s
}

fn aws_principal(rng: &mut Rng, account: &str) -> String {
    match rng.below(4) {
        0 => format!(r#"{{"AWS":"{account}"}}"#),
        1 => format!(
            r#"{{"AWS":"arn:aws:iam::{account}:role/{}-automation"}}"#,
            rng.pick(APPS)
        ),
        _ => format!(r#"{{"AWS":"arn:aws:iam::{account}:root"}}"#),
    }
}

struct Plan<'a> {
    seed: u64,
    users: usize,
    roles: usize,
    ids: &'a [String],
    vendors: &'a [String],
    org_id: &'a str,
}

/// What the entity builders of one account share.
struct Ctx<'a> {
    plan: &'a Plan<'a>,
    index: usize,
    id: &'a str,
    as_of: i64,
    export_time: i64,
    account_created: i64,
    /// Application policies are `policies[first_app..first_app + apps]`.
    first_app: usize,
    apps: usize,
}

impl Ctx<'_> {
    fn app_policy_index(&self, rng: &mut Rng) -> usize {
        self.first_app + rng.below(self.apps as u64) as usize
    }
    /// Another generated account (only called when there is one).
    fn other_account(&self, r: usize) -> &str {
        let n = self.plan.ids.len();
        let j = (splitmix64(self.plan.seed ^ (self.index * 7919 + r) as u64) % n as u64) as usize;
        &self.plan.ids[if j == self.index { (j + 1) % n } else { j }]
    }
}

fn new_account(plan: &Plan, index: usize, out: &Path) -> Account {
    let mut rng = Rng::new(plan.seed, index as u64);
    let id = plan.ids[index].as_str();
    let as_of = AS_OF_BASE - rng.range(0, 6 * 3600);
    let export_time = as_of - rng.range(120, 3600);
    let account_created = as_of - rng.range(400, 3650) * DAY;

    let report_form = [
        ReportForm::Csv,
        ReportForm::JsonBase64,
        ReportForm::JsonPlain,
        ReportForm::ExcelCsv,
    ][index % 4];
    let report_dates = match (index / 4 + index) % 3 {
        0 => DateStyle::Plus,
        1 => DateStyle::Z,
        _ => DateStyle::Space,
    };
    let (doc_form, authz_dates, indent) = match index % 6 {
        1 | 4 => (DocForm::UrlEncoded, DateStyle::Z, 4),
        5 => (DocForm::Text, DateStyle::Space, 0),
        _ => (DocForm::Object, DateStyle::Plus, 4),
    };
    let pages = if index % 5 == 4 { 2 + index / 5 % 2 } else { 1 };
    let password_policy = [
        PasswordPolicy::Strong,
        PasswordPolicy::Weak,
        PasswordPolicy::None,
        PasswordPolicy::NotSet,
    ][rng.weighted(&[40, 25, 20, 15])];

    let bu = BUSINESS_UNITS[index % BUSINESS_UNITS.len()];
    let alias = format!(
        "{bu}-{}-{index:04}",
        ENVS[index / BUSINESS_UNITS.len() % ENVS.len()]
    );
    let folder = match index % 3 {
        0 => out.join(bu).join(id),
        1 => out.join(bu).join(&alias),
        _ => out.join(bu).join(format!("{alias} ({id})")),
    };

    // 2025-style reports (Z dates) show the root user's password columns.
    let new_style = matches!(report_dates, DateStyle::Z);
    let root = if index % 60 == 59 {
        None // an export without a root row
    } else {
        Some(new_root(&mut rng, as_of, account_created, new_style))
    };
    let (mut policies, first_app, apps) = new_policies(
        &mut rng,
        index,
        &alias,
        (account_created, as_of),
        plan.roles,
    );
    let ctx = Ctx {
        plan,
        index,
        id,
        as_of,
        export_time,
        account_created,
        first_app,
        apps,
    };
    let groups = new_groups(&mut rng, &policies, account_created);

    let (f_off, l_off) = (
        rng.below(FIRST.len() as u64) as usize,
        rng.below(LAST.len() as u64) as usize,
    );
    let late_joiner = rng.chance(15);
    let users: Vec<User> = (0..plan.users)
        .map(|u| {
            let in_authz = !(late_joiner && u + 1 == plan.users);
            new_user(&mut rng, &ctx, u, (f_off, l_off), in_authz)
        })
        .collect();

    let sso = if rng.chance(80) {
        (1 + plan.roles / 15).min(plan.roles)
    } else {
        0
    };
    let sso_provider = format!(
        "arn:aws:iam::{id}:saml-provider/AWSSSO_{}_DO_NOT_DELETE",
        rng.hex(16)
    );
    let roles: Vec<Role> = (0..plan.roles)
        .map(|r| {
            if r < sso {
                new_sso_role(&mut rng, &ctx, r, &sso_provider)
            } else {
                new_role(&mut rng, &ctx, r)
            }
        })
        .collect();

    // Attachment counts follow from the entities.
    for u in users.iter().filter(|u| u.in_authz) {
        for &p in &u.attached {
            policies[p].attachments += 1;
        }
        if let Some(p) = u.boundary {
            policies[p].boundary_uses += 1;
        }
    }
    for &p in groups
        .iter()
        .flat_map(|g| &g.attached)
        .chain(roles.iter().flat_map(|r| &r.attached))
    {
        policies[p].attachments += 1;
    }

    Account {
        id: id.to_string(),
        folder,
        as_of,
        report_form,
        report_dates,
        doc_form,
        authz_dates,
        indent,
        pages,
        password_policy,
        root,
        users,
        groups,
        roles,
        policies,
    }
}

fn new_root(rng: &mut Rng, as_of: i64, created: i64, new_style: bool) -> Root {
    if new_style && rng.chance(4) {
        // Centralized root access management removed the root credentials.
        return Root {
            created,
            password: RootPassword::Removed,
            mfa: false,
            keys: [None, None],
        };
    }
    let key = rng.chance(8).then(|| {
        let active = rng.chance(30);
        new_key(rng, as_of, created, active)
    });
    let pw = new_password(rng, as_of, created);
    Root {
        created,
        password: if new_style {
            RootPassword::Set(pw)
        } else {
            RootPassword::NotSupported(pw.last_used)
        },
        mfa: rng.chance(85),
        keys: [key, None],
    }
}

/// AWS managed policies first (`P_AWS_*`), the fixed customer managed ones (`P_ADMIN`,
/// `P_BOUNDARY`, `P_SUPPORT`, then one MFA policy per managed-MFA group in `GROUPS` order),
/// the application policies, and two unattached leftovers.
/// Returns the policies, the index of the first application policy and their count.
fn new_policies(
    rng: &mut Rng,
    index: usize,
    alias: &str,
    span: (i64, i64),
    roles: usize,
) -> (Vec<Policy>, usize, usize) {
    let aws_policy = |name: &str, path: &'static str, doc: &str, id: &str, created: i64| Policy {
        name: name.into(),
        id: id.into(),
        path,
        aws_managed: true,
        created,
        versions: vec![(doc.to_string(), created)],
        default: 0,
        attachments: 0,
        boundary_uses: 0,
    };
    let mut policies = vec![
        aws_policy(
            "AdministratorAccess",
            "/",
            AWS_ADMIN,
            "ANPAIWMBCKSKIEE64ZLYK",
            1_423_247_986,
        ),
        aws_policy(
            "IAMUserChangePassword",
            "/",
            AWS_CHANGE_PASSWORD,
            "ANPAJ4L4MM2A7QIEB56MS",
            1_479_496_800,
        ),
        aws_policy(
            "AWSLambdaBasicExecutionRole",
            "/service-role/",
            AWS_LAMBDA_BASIC,
            "ANPAJNCQGXC42545SKXIK",
            1_428_422_400,
        ),
    ];
    let p = &mut policies;
    push_customer(
        p,
        rng,
        span,
        format!("{alias}-admin"),
        vec![admin_policy("FullAdministrator")],
        0,
    );
    let boundary = policy(&[
        r#"{"Sid":"WorkloadServices","Effect":"Allow","Action":["s3:*","dynamodb:*","lambda:*","logs:*","cloudwatch:*","sqs:*"],"Resource":"*"}"#.into(),
        r#"{"Sid":"NoIdentityChanges","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*","iam:Attach*"],"Resource":"*"}"#.into(),
    ]);
    push_customer(p, rng, span, "developer-boundary".into(), vec![boundary], 0);
    let support = policy(&[
        r#"{"Effect":"Allow","Action":["support:*","health:Describe*","trustedadvisor:Describe*"],"Resource":"*"}"#.into(),
    ]);
    push_customer(p, rng, span, "support-tools".into(), vec![support], 0);
    for (name, variant, managed) in GROUPS {
        if let (Some(v), true) = (variant, managed) {
            // Developers carry the seed policy, the console-rule policy or AWS's pattern.
            let v = if *v == 0 { [0, 1, 6][index % 3] } else { *v };
            push_customer(
                p,
                rng,
                span,
                format!("{name}-RequireMFA"),
                vec![mfa_policy(v)],
                0,
            );
        }
    }
    let first_app = p.len();
    let apps = 3 + roles / 10;
    for k in 0..apps {
        let app = APPS[k % APPS.len()];
        let n = 1 + rng.below(5) as usize;
        let versions = (0..n).map(|v| app_policy(app, v)).collect();
        let default = rng.below(n as u64) as usize;
        push_customer(p, rng, span, format!("{app}-access-{k}"), versions, default);
    }
    // Unattached leftovers, one of them a full admin: outside every population.
    push_customer(
        p,
        rng,
        span,
        "legacy-admin".into(),
        vec![admin_policy("Legacy")],
        0,
    );
    push_customer(
        p,
        rng,
        span,
        "old-s3-readonly".into(),
        vec![app_policy("legacy", 0)],
        0,
    );
    (policies, first_app, apps)
}

fn new_groups(rng: &mut Rng, policies: &[Policy], account_created: i64) -> Vec<Group> {
    GROUPS
        .iter()
        .map(|&(name, variant, managed)| {
            let mut attached = Vec::new();
            let mut inline = Vec::new();
            match (variant, managed) {
                (Some(_), true) => {
                    let wanted = format!("{name}-RequireMFA");
                    attached.push(policies.iter().position(|p| p.name == wanted).unwrap());
                }
                (Some(v), false) => inline.push(("RequireMFA", mfa_policy(v))),
                (None, _) if name == "Admins" => attached.push(P_ADMIN),
                _ => attached.extend([P_SUPPORT, P_AWS_CHANGE_PASSWORD]),
            }
            Group {
                name,
                id: rng.unique_id("AGPA"),
                created: account_created + rng.range(0, 60) * DAY,
                attached,
                inline,
            }
        })
        .collect()
}

fn new_user(
    rng: &mut Rng,
    ctx: &Ctx,
    u: usize,
    (f_off, l_off): (usize, usize),
    in_authz: bool,
) -> User {
    let as_of = ctx.as_of;
    let kind = rng.weighted(&[40, 20, 35, 5]); // console, console+keys, programmatic, none
    let name = if kind == 2 {
        format!("svc-{}-{u}", rng.pick(APPS))
    } else {
        // (u mod 26, u mod 24) repeats only after lcm(26, 24) = 312 users.
        let (f, l) = (
            FIRST[(u + f_off) % FIRST.len()],
            LAST[(u + l_off) % LAST.len()],
        );
        if u < 312 {
            format!("{f}.{l}")
        } else {
            format!("{f}.{l}{u}")
        }
    };
    let age_days = (as_of - ctx.account_created) / DAY;
    let created = if !in_authz {
        // Joined after the authorization export: only in the credential report.
        rng.range(ctx.export_time + 30, as_of - 600)
    } else if rng.chance(70) {
        as_of - rng.range(180, age_days) * DAY - rng.range(0, DAY - 1)
    } else {
        as_of - rng.range(1, 179) * DAY - rng.range(0, DAY - 1)
    }
    .max(ctx.account_created + 600);
    let password = if !in_authz {
        Some(Password {
            last_used: Some(rng.range(created + 60, as_of - 60)),
            last_changed: created,
        })
    } else {
        (kind <= 1).then(|| new_password(rng, as_of, created))
    };
    let mfa = if kind <= 1 {
        rng.chance(70)
    } else {
        rng.chance(5)
    };
    let mut keys = [None, None];
    if kind == 1 || kind == 2 {
        let active = rng.chance(92);
        keys[0] = Some(new_key(rng, as_of, created, active));
        if rng.chance(18) {
            let active = rng.chance(70);
            keys[1] = Some(new_key(rng, as_of, created, active));
        }
    } else if kind == 3 && rng.chance(50) {
        keys[0] = Some(new_key(rng, as_of, created, false));
    }
    let mut groups = Vec::new();
    if kind == 2 {
        if rng.chance(30) {
            groups.push(if rng.chance(50) { 2 } else { 0 });
        }
    } else if rng.chance(80) {
        groups.push(rng.weighted(&[30, 15, 15, 10, 10, 0, 20]));
        if rng.chance(15) {
            groups.push(5); // Admins
        }
    }
    let mut attached = Vec::new();
    if rng.chance(10) {
        attached.push(ctx.app_policy_index(rng));
    }
    if kind <= 1 && rng.chance(5) {
        attached.push(P_AWS_CHANGE_PASSWORD);
    }
    let inline = if rng.chance(5) {
        vec![("inline-access".to_string(), app_policy(rng.pick(APPS), 0))]
    } else {
        vec![]
    };
    let boundary = rng.chance(3).then_some(P_BOUNDARY);
    User {
        name,
        id: rng.unique_id("AIDA"),
        created,
        password,
        mfa,
        keys,
        groups,
        attached,
        inline,
        boundary,
        in_authz,
    }
}

const SAML_AUD: &str = r#""StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}"#;
const ASSUME_ROLE: &str = r#""sts:AssumeRole""#;

/// An IAM Identity Center role: SAML-federated, MANUAL for cross-account-role-mfa.
fn new_sso_role(rng: &mut Rng, ctx: &Ctx, r: usize, provider: &str) -> Role {
    let set = PERMISSION_SETS[r % PERMISSION_SETS.len()];
    let (attached, inline) = if set == "AdministratorAccess" {
        (vec![P_AWS_ADMIN], vec![])
    } else {
        (
            vec![],
            vec![("AwsSSOInlinePolicy".to_string(), app_policy("sso", r % 3))],
        )
    };
    let path = if rng.chance(30) {
        format!("/aws-reserved/sso.amazonaws.com/{}/", rng.pick(REGIONS))
    } else {
        "/aws-reserved/sso.amazonaws.com/".into()
    };
    let trust = allow_stmt(
        &format!(r#"{{"Federated":"{provider}"}}"#),
        r#"["sts:AssumeRoleWithSAML","sts:TagSession"]"#,
        &[SAML_AUD.to_string()],
    );
    let name = format!("AWSReservedSSO_{set}_{}", rng.hex(16));
    finish_role(rng, ctx, name, path, vec![trust], attached, inline, false)
}

fn new_role(rng: &mut Rng, ctx: &Ctx, r: usize) -> Role {
    let id = ctx.id;
    let internal = ctx.plan.ids.len() > 1;
    let mut attached = Vec::new();
    let mut path = "/".to_string();
    let mut profile = false;
    let mut service = |rng: &mut Rng, attached: &mut Vec<usize>| {
        let svc = rng.pick(SERVICE_PRINCIPALS);
        attached.push(if svc.starts_with("lambda") {
            P_AWS_LAMBDA
        } else {
            ctx.app_policy_index(rng)
        });
        profile = svc.starts_with("ec2");
        allow_stmt(&format!(r#"{{"Service":"{svc}"}}"#), ASSUME_ROLE, &[])
    };
    let mut kind = rng.weighted(&[34, 14, 12, 7, 5, 10, 4, 1, 3, 8]);
    if kind == 1 && !internal {
        kind = 2;
    }
    let (name, statements) = match kind {
        0 => {
            if rng.chance(40) {
                path = "/service-role/".into();
            }
            let s = service(rng, &mut attached);
            (
                format!(
                    "{}-{}-{r:02}",
                    rng.pick(APPS),
                    ["worker", "task", "job"][r % 3]
                ),
                vec![s],
            )
        }
        1 | 2 => {
            // Another generated account (internal) or a vendor's (external).
            let (acct, base) = if kind == 1 {
                let base = rng.pick(&[
                    "central-deploy",
                    "security-audit",
                    "backup-operator",
                    "network-admin",
                ]);
                (ctx.other_account(r).to_string(), base)
            } else {
                let base = rng.pick(&[
                    "vendor-support",
                    "monitoring-integration",
                    "consultant-access",
                    "partner-readonly",
                ]);
                (
                    ctx.plan.vendors[rng.below(ctx.plan.vendors.len() as u64) as usize].clone(),
                    base,
                )
            };
            attached.push(ctx.app_policy_index(rng));
            let principal = aws_principal(rng, &acct);
            let cond = mfa_trust_condition(rng, true);
            (
                format!("{base}-{r:02}"),
                vec![allow_stmt(&principal, ASSUME_ROLE, &cond)],
            )
        }
        3 => {
            attached.push(if rng.chance(40) {
                P_AWS_ADMIN
            } else {
                ctx.first_app
            });
            let idp = rng.pick(&["Okta", "ADFS", "AzureAD"]);
            let principal = format!(r#"{{"Federated":"arn:aws:iam::{id}:saml-provider/{idp}"}}"#);
            let stmt = allow_stmt(
                &principal,
                r#""sts:AssumeRoleWithSAML""#,
                &[SAML_AUD.to_string()],
            );
            let role = rng.pick(&["admin", "developer", "readonly"]);
            (format!("{}-{role}-{r:02}", idp.to_lowercase()), vec![stmt])
        }
        4 => {
            attached.push(ctx.app_policy_index(rng));
            let principal = format!(
                r#"{{"Federated":"arn:aws:iam::{id}:oidc-provider/token.actions.githubusercontent.com"}}"#
            );
            let cond = [
                r#""StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}"#
                    .to_string(),
                format!(
                    r#""StringLike":{{"token.actions.githubusercontent.com:sub":"repo:acme/{}:*"}}"#,
                    rng.pick(APPS)
                ),
            ];
            let stmt = allow_stmt(&principal, r#""sts:AssumeRoleWithWebIdentity""#, &cond);
            (format!("github-actions-deploy-{r:02}"), vec![stmt])
        }
        5 => {
            // Trust within the account: not cross-account.
            attached.push(if r.is_multiple_of(4) {
                P_ADMIN
            } else {
                ctx.first_app
            });
            let principal = aws_principal(rng, id);
            let base = rng.pick(&["ci-runner", "break-glass", "ops-escalation"]);
            (
                format!("{base}-{r:02}"),
                vec![allow_stmt(&principal, ASSUME_ROLE, &[])],
            )
        }
        6 => {
            // "*" limited to the organization: judged like any other statement.
            let mut cond = vec![format!(
                r#""StringEquals":{{"aws:PrincipalOrgID":"{}"}}"#,
                ctx.plan.org_id
            )];
            cond.extend(mfa_trust_condition(rng, false));
            (
                format!("org-shared-reader-{r:02}"),
                vec![allow_stmt(r#"{"AWS":"*"}"#, ASSUME_ROLE, &cond)],
            )
        }
        7 => (
            format!("public-assume-{r:02}"),
            vec![allow_stmt(r#"{"AWS":"*"}"#, ASSUME_ROLE, &[])],
        ),
        8 => {
            // A trusted principal that was deleted: its unique ID remains.
            let prefix = if rng.chance(50) { "AIDA" } else { "AROA" };
            let principal = format!(r#"{{"AWS":"{}"}}"#, rng.unique_id(prefix));
            let cond = mfa_trust_condition(rng, false);
            (
                format!("legacy-deploy-{r:02}"),
                vec![allow_stmt(&principal, ASSUME_ROLE, &cond)],
            )
        }
        _ => {
            // A service and another account in one trust policy.
            let s = service(rng, &mut attached);
            let acct = if internal && rng.chance(50) {
                ctx.other_account(r).to_string()
            } else {
                ctx.plan.vendors[rng.below(ctx.plan.vendors.len() as u64) as usize].clone()
            };
            let principal = aws_principal(rng, &acct);
            let cond = mfa_trust_condition(rng, true);
            let stmt = allow_stmt(&principal, r#"["sts:AssumeRole","sts:TagSession"]"#, &cond);
            (format!("hybrid-ops-{r:02}"), vec![s, stmt])
        }
    };
    let mut inline = Vec::new();
    if rng.chance(15) {
        inline.push((format!("{name}-inline"), app_policy(rng.pick(APPS), 1)));
    }
    finish_role(rng, ctx, name, path, statements, attached, inline, profile)
}

#[allow(clippy::too_many_arguments)]
fn finish_role(
    rng: &mut Rng,
    ctx: &Ctx,
    name: String,
    path: String,
    statements: Vec<String>,
    attached: Vec<usize>,
    inline: Vec<(String, String)>,
    instance_profile: bool,
) -> Role {
    let created =
        ctx.account_created + rng.range(0, (ctx.export_time - ctx.account_created) / DAY - 1) * DAY;
    let last_used = rng.chance(70).then(|| {
        (
            rng.range(created + 60, ctx.export_time - 60),
            rng.pick(REGIONS),
        )
    });
    Role {
        name,
        id: rng.unique_id("AROA"),
        path,
        created,
        trust: policy(&statements),
        attached,
        inline,
        last_used,
        instance_profile,
    }
}

// ------------------------------------------------------------------------------------------
// Writers

#[derive(Default)]
struct Stats {
    files: u64,
    bytes: u64,
}

impl Stats {
    fn write(&mut self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        // Each file is assembled in one buffer (at most one account's data) and written at once.
        fs::write(path, data)?;
        self.files += 1;
        self.bytes += data.len() as u64;
        Ok(())
    }
}

fn push_bool(out: &mut Vec<u8>, v: bool, upper: bool) {
    out.extend_from_slice(match (v, upper) {
        (true, false) => b"true",
        (false, false) => b"false",
        (true, true) => b"TRUE",
        (false, true) => b"FALSE",
    });
}

/// The password columns of one report row.
enum PasswordCells<'a> {
    Disabled,
    NotSupported(Option<i64>),
    Enabled(&'a Password, Option<i64>),
}

struct Csv<'a> {
    out: &'a mut Vec<u8>,
    style: DateStyle,
    upper: bool,
}

impl Csv<'_> {
    fn bool(&mut self, v: bool) {
        self.out.push(b',');
        push_bool(self.out, v, self.upper);
    }
    fn ts(&mut self, t: Option<i64>, none: &str) {
        self.out.push(b',');
        match t {
            Some(t) => push_ts(self.out, t, self.style),
            None => self.out.extend_from_slice(none.as_bytes()),
        }
    }
    fn text(&mut self, v: &str) {
        self.out.push(b',');
        self.out.extend_from_slice(v.as_bytes());
    }
    fn row(
        &mut self,
        user: &str,
        arn: &str,
        created: i64,
        pw: PasswordCells,
        mfa: bool,
        keys: &[Option<Key>; 2],
    ) {
        write!(self.out, "{user},{arn}").unwrap();
        self.ts(Some(created), "");
        match pw {
            PasswordCells::Disabled => {
                self.bool(false);
                self.out.extend_from_slice(b",N/A,N/A,N/A");
            }
            PasswordCells::NotSupported(last_used) => {
                self.text("not_supported");
                self.ts(last_used, "no_information");
                self.out.extend_from_slice(b",not_supported,not_supported");
            }
            PasswordCells::Enabled(pw, next_rotation) => {
                self.bool(true);
                self.ts(pw.last_used, "no_information");
                self.ts(Some(pw.last_changed), "");
                self.ts(next_rotation, "N/A");
            }
        }
        self.bool(mfa);
        for key in keys {
            match key {
                None => {
                    self.bool(false);
                    self.out.extend_from_slice(b",N/A,N/A,N/A,N/A");
                }
                Some(k) => {
                    self.bool(k.active);
                    self.ts(Some(k.rotated), "");
                    match k.used {
                        None => self.out.extend_from_slice(b",N/A,N/A,N/A"),
                        Some((t, region, service)) => {
                            self.ts(Some(t), "");
                            self.text(region);
                            self.text(service);
                        }
                    }
                }
            }
        }
        // No X.509 signing certificates.
        self.bool(false);
        self.text("N/A");
        self.bool(false);
        self.text("N/A");
    }
}

fn credential_report_csv(a: &Account, out: &mut Vec<u8>, eol: &[u8], upper: bool) {
    out.extend_from_slice(REPORT_HEADER.as_bytes());
    let mut csv = Csv {
        out,
        style: a.report_dates,
        upper,
    };
    if let Some(root) = &a.root {
        let pw = match &root.password {
            RootPassword::NotSupported(last_used) => PasswordCells::NotSupported(*last_used),
            RootPassword::Removed => PasswordCells::Disabled,
            RootPassword::Set(pw) => PasswordCells::Enabled(pw, None),
        };
        csv.out.extend_from_slice(eol);
        let arn = format!("arn:aws:iam::{}:root", a.id);
        csv.row(
            "<root_account>",
            &arn,
            root.created,
            pw,
            root.mfa,
            &root.keys,
        );
    }
    let rotation_days = matches!(a.password_policy, PasswordPolicy::Strong).then_some(90);
    for u in &a.users {
        let pw = match &u.password {
            None => PasswordCells::Disabled,
            Some(pw) => {
                PasswordCells::Enabled(pw, rotation_days.map(|d| pw.last_changed + d * DAY))
            }
        };
        csv.out.extend_from_slice(eol);
        let arn = format!("arn:aws:iam::{}:user/{}", a.id, u.name);
        csv.row(&u.name, &arn, u.created, pw, u.mfa, &u.keys);
    }
}

fn write_credential_report(
    a: &Account,
    stats: &mut Stats,
    csv: &mut Vec<u8>,
) -> std::io::Result<()> {
    csv.clear();
    match a.report_form {
        ReportForm::Csv => {
            credential_report_csv(a, csv, b"\n", false);
            stats.write(&a.folder.join("credential-report.csv"), csv)
        }
        ReportForm::ExcelCsv => {
            csv.extend_from_slice("\u{feff}".as_bytes());
            credential_report_csv(a, csv, b"\r\n", true);
            csv.extend_from_slice(b"\r\n");
            stats.write(&a.folder.join("credential_report.csv"), csv)
        }
        ReportForm::JsonBase64 | ReportForm::JsonPlain => {
            credential_report_csv(a, csv, b"\n", false);
            let content = if a.report_form == ReportForm::JsonBase64 {
                base64::engine::general_purpose::STANDARD.encode(&csv[..])
            } else {
                String::from_utf8(csv.clone()).unwrap()
            };
            let mut j = Json::new(4);
            j.obj();
            j.kv("Content", &content);
            j.kv("ReportFormat", "text/csv");
            j.kv_ts("GeneratedTime", a.as_of, a.report_dates);
            j.end_obj();
            let name = if a.report_form == ReportForm::JsonBase64 {
                "credential-report.json"
            } else {
                "iam-get-credential-report.json"
            };
            stats.write(&a.folder.join(name), j.finish())
        }
    }
}

fn policy_arn(a: &Account, p: &Policy) -> String {
    let owner = if p.aws_managed { "aws" } else { &a.id };
    format!("arn:aws:iam::{owner}:policy{}{}", p.path, p.name)
}

fn attached_list(j: &mut Json, a: &Account, attached: &[usize]) {
    j.key("AttachedManagedPolicies");
    j.arr();
    for &p in attached {
        j.obj();
        j.kv("PolicyName", &a.policies[p].name);
        j.kv("PolicyArn", &policy_arn(a, &a.policies[p]));
        j.end_obj();
    }
    j.end_arr();
}

fn inline_list<S: AsRef<str>>(j: &mut Json, key: &str, inline: &[(S, String)], form: DocForm) {
    j.key(key);
    j.arr();
    for (name, doc) in inline {
        j.obj();
        j.kv("PolicyName", name.as_ref());
        j.policy_doc("PolicyDocument", doc, form);
        j.end_obj();
    }
    j.end_arr();
}

fn write_user(j: &mut Json, a: &Account, u: &User) {
    let (form, dates) = (a.doc_form, a.authz_dates);
    j.obj();
    j.kv("Path", "/");
    j.kv("UserName", &u.name);
    j.kv("UserId", &u.id);
    j.kv("Arn", &format!("arn:aws:iam::{}:user/{}", a.id, u.name));
    j.kv_ts("CreateDate", u.created, dates);
    inline_list(j, "UserPolicyList", &u.inline, form);
    j.key("GroupList");
    j.arr();
    for &g in &u.groups {
        j.str(a.groups[g].name);
    }
    j.end_arr();
    attached_list(j, a, &u.attached);
    if let Some(b) = u.boundary {
        j.key("PermissionsBoundary");
        j.obj();
        j.kv("PermissionsBoundaryType", "Policy");
        j.kv("PermissionsBoundaryArn", &policy_arn(a, &a.policies[b]));
        j.end_obj();
    }
    j.empty_arr("Tags");
    j.end_obj();
}

fn write_group(j: &mut Json, a: &Account, g: &Group) {
    j.obj();
    j.kv("Path", "/");
    j.kv("GroupName", g.name);
    j.kv("GroupId", &g.id);
    j.kv("Arn", &format!("arn:aws:iam::{}:group/{}", a.id, g.name));
    j.kv_ts("CreateDate", g.created, a.authz_dates);
    inline_list(j, "GroupPolicyList", &g.inline, a.doc_form);
    attached_list(j, a, &g.attached);
    j.end_obj();
}

fn write_role(j: &mut Json, a: &Account, r: &Role) {
    let (form, dates) = (a.doc_form, a.authz_dates);
    let arn = format!("arn:aws:iam::{}:role{}{}", a.id, r.path, r.name);
    j.obj();
    j.kv("Path", &r.path);
    j.kv("RoleName", &r.name);
    j.kv("RoleId", &r.id);
    j.kv("Arn", &arn);
    j.kv_ts("CreateDate", r.created, dates);
    j.policy_doc("AssumeRolePolicyDocument", &r.trust, form);
    j.key("InstanceProfileList");
    j.arr();
    if r.instance_profile {
        j.obj();
        j.kv("Path", "/");
        j.kv("InstanceProfileName", &r.name);
        j.kv("InstanceProfileId", &format!("AIPA{}", &r.id[4..]));
        j.kv(
            "Arn",
            &format!("arn:aws:iam::{}:instance-profile/{}", a.id, r.name),
        );
        j.kv_ts("CreateDate", r.created, dates);
        j.key("Roles");
        j.arr();
        j.obj();
        j.kv("Path", &r.path);
        j.kv("RoleName", &r.name);
        j.kv("RoleId", &r.id);
        j.kv("Arn", &arn);
        j.kv_ts("CreateDate", r.created, dates);
        j.policy_doc("AssumeRolePolicyDocument", &r.trust, form);
        j.end_obj();
        j.end_arr();
        j.end_obj();
    }
    j.end_arr();
    inline_list(j, "RolePolicyList", &r.inline, form);
    attached_list(j, a, &r.attached);
    j.empty_arr("Tags");
    j.key("RoleLastUsed");
    j.obj();
    if let Some((t, region)) = r.last_used {
        j.kv_ts("LastUsedDate", t, dates);
        j.kv("Region", region);
    }
    j.end_obj();
    j.end_obj();
}

fn write_policy(j: &mut Json, a: &Account, p: &Policy) {
    let dates = a.authz_dates;
    j.obj();
    j.kv("PolicyName", &p.name);
    j.kv("PolicyId", &p.id);
    j.kv("Arn", &policy_arn(a, p));
    j.kv("Path", p.path);
    j.kv("DefaultVersionId", &format!("v{}", p.default + 1));
    j.kv_raw("AttachmentCount", &p.attachments.to_string());
    j.kv_raw(
        "PermissionsBoundaryUsageCount",
        &p.boundary_uses.to_string(),
    );
    j.kv_raw("IsAttachable", "true");
    j.kv_ts("CreateDate", p.created, dates);
    j.kv_ts("UpdateDate", p.versions[p.default].1, dates);
    j.key("PolicyVersionList");
    j.arr();
    // Newest version first, as IAM lists them.
    for (v, (doc, created)) in p.versions.iter().enumerate().rev() {
        j.obj();
        j.policy_doc("Document", doc, a.doc_form);
        j.kv("VersionId", &format!("v{}", v + 1));
        j.kv_raw(
            "IsDefaultVersion",
            if v == p.default { "true" } else { "false" },
        );
        j.kv_ts("CreateDate", *created, dates);
        j.end_obj();
    }
    j.end_arr();
    j.end_obj();
}

#[derive(Clone, Copy)]
enum Item {
    User(usize),
    Group(usize),
    Role(usize),
    Policy(usize),
}

fn write_authorization_details(
    a: &Account,
    stats: &mut Stats,
    rng: &mut Rng,
) -> std::io::Result<()> {
    // AWS-managed policies appear only when attached; customer managed ones always.
    let items: Vec<Item> = (a
        .users
        .iter()
        .enumerate()
        .filter(|(_, u)| u.in_authz)
        .map(|(i, _)| Item::User(i)))
    .chain((0..a.groups.len()).map(Item::Group))
    .chain((0..a.roles.len()).map(Item::Role))
    .chain(
        a.policies
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.aws_managed || p.attachments > 0)
            .map(|(i, _)| Item::Policy(i)),
    )
    .collect();
    let per_page = items.len().div_ceil(a.pages);
    for (page, chunk) in items.chunks(per_page.max(1)).enumerate() {
        let mut j = Json::new(a.indent);
        j.obj();
        for (key, want) in [
            ("UserDetailList", 0),
            ("GroupDetailList", 1),
            ("RoleDetailList", 2),
            ("Policies", 3),
        ] {
            j.key(key);
            j.arr();
            for item in chunk {
                match (*item, want) {
                    (Item::User(i), 0) => write_user(&mut j, a, &a.users[i]),
                    (Item::Group(i), 1) => write_group(&mut j, a, &a.groups[i]),
                    (Item::Role(i), 2) => write_role(&mut j, a, &a.roles[i]),
                    (Item::Policy(i), 3) => write_policy(&mut j, a, &a.policies[i]),
                    _ => {}
                }
            }
            j.end_arr();
        }
        let name = if a.pages == 1 {
            [
                "authorization-details.json",
                "iam-get-account-authorization-details.json",
                "gaad.json",
            ][a.id.as_bytes()[11] as usize % 3]
                .to_string()
        } else {
            let last = (page + 1) * per_page >= items.len();
            j.kv_raw("IsTruncated", if last { "false" } else { "true" });
            if !last {
                let marker = base64::engine::general_purpose::STANDARD.encode(rng.hex(48));
                j.kv("Marker", &marker);
            }
            format!("authorization-details-page-{}.json", page + 1)
        };
        j.end_obj();
        stats.write(&a.folder.join(name), j.finish())?;
    }
    Ok(())
}

fn write_password_policy(a: &Account, stats: &mut Stats) -> std::io::Result<()> {
    let mut j = Json::new(4);
    j.obj();
    match a.password_policy {
        PasswordPolicy::None => return Ok(()),
        PasswordPolicy::NotSet => {
            j.key("Error");
            j.obj();
            j.kv("Code", "NoSuchEntity");
            j.kv(
                "Message",
                &format!(
                    "The Password Policy with domain name {} cannot be found.",
                    a.id
                ),
            );
            j.end_obj();
        }
        PasswordPolicy::Strong | PasswordPolicy::Weak => {
            let strong = a.password_policy == PasswordPolicy::Strong;
            j.key("PasswordPolicy");
            j.obj();
            j.kv_raw("MinimumPasswordLength", if strong { "14" } else { "8" });
            j.kv_raw("RequireSymbols", if strong { "true" } else { "false" });
            j.kv_raw("RequireNumbers", "true");
            j.kv_raw("RequireUppercaseCharacters", "true");
            j.kv_raw("RequireLowercaseCharacters", "true");
            j.kv_raw("AllowUsersToChangePassword", "true");
            j.kv_raw("ExpirePasswords", if strong { "true" } else { "false" });
            if strong {
                j.kv_raw("MaxPasswordAge", "90");
                j.kv_raw("PasswordReusePrevention", "24");
            }
            j.kv_raw("HardExpiry", "false");
            j.end_obj();
        }
    }
    j.end_obj();
    stats.write(&a.folder.join("password-policy.json"), j.finish())
}

fn write_org_accounts(
    plan: &Plan,
    listed_only: &[String],
    out: &Path,
    stats: &mut Stats,
) -> std::io::Result<()> {
    let mgmt = &plan.ids[0];
    let mut j = Json::new(4);
    j.obj();
    j.key("Accounts");
    j.arr();
    for (i, id) in plan.ids.iter().chain(listed_only).enumerate() {
        let audited = i < plan.ids.len();
        let bu = BUSINESS_UNITS[i % BUSINESS_UNITS.len()];
        j.obj();
        j.kv("Id", id);
        j.kv(
            "Arn",
            &format!("arn:aws:organizations::{mgmt}:account/{}/{id}", plan.org_id),
        );
        j.kv("Email", &format!("aws+{bu}-{i:04}@example.com"));
        j.kv("Name", &format!("{bu}-{i:04}"));
        let suspended = !audited && (i - plan.ids.len()) % 10 == 9;
        j.kv("Status", if suspended { "SUSPENDED" } else { "ACTIVE" });
        j.kv("JoinedMethod", if i == 0 { "INVITED" } else { "CREATED" });
        j.kv_ts(
            "JoinedTimestamp",
            AS_OF_BASE - (3000 - (i as i64 % 2000)) * DAY,
            DateStyle::Plus,
        );
        j.end_obj();
    }
    j.end_arr();
    j.end_obj();
    stats.write(&out.join("organizations-list-accounts.json"), j.finish())
}

fn generate(args: &Args) -> std::io::Result<Stats> {
    let unaudited = args.listed.unwrap_or(args.accounts) - args.accounts;
    let (ids, vendors, listed_only) = account_ids(args.seed, args.accounts, 16, unaudited);
    let org_id = format!("o-{}", Rng::new(args.seed, u64::MAX - 1).hex(10));
    let plan = Plan {
        seed: args.seed,
        users: args.users,
        roles: args.roles,
        ids: &ids,
        vendors: &vendors,
        org_id: &org_id,
    };
    let mut stats = Stats::default();
    fs::create_dir_all(&args.out)?;
    write_org_accounts(&plan, &listed_only, &args.out, &mut stats)?;
    let mut csv = Vec::with_capacity(1 << 16);
    for index in 0..args.accounts {
        let account = new_account(&plan, index, &args.out);
        fs::create_dir_all(&account.folder)?;
        let mut rng = Rng::new(args.seed ^ 0x5EED, index as u64);
        write_credential_report(&account, &mut stats, &mut csv)?;
        write_authorization_details(&account, &mut stats, &mut rng)?;
        write_password_policy(&account, &mut stats)?;
    }
    Ok(stats)
}
