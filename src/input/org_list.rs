//! The raw form of an `organizations list-accounts` export, read field by field: only the
//! fields the audit uses are kept (`Id`, `State`, `Status`, `Name`, `Arn`, `NextToken`), each
//! as a scalar, so a list of many thousand accounts is never held as a JSON tree.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A field's value as the reader uses it: a string, an unsigned integer, `null`, or anything
/// else (read and dropped).
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Scalar {
    /// The field is absent.
    #[default]
    Absent,
    /// A JSON string.
    Text(String),
    /// A JSON number that fits a `u64`.
    Unsigned(u64),
    /// `null`.
    Null,
    /// Any other value (object, array, boolean, other number).
    Other,
}

impl Scalar {
    /// The string, when the value is one.
    pub fn into_text(self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// One element of `Accounts`: its fields, or nothing for an element that is not an object.
#[derive(Debug, Default)]
pub struct RawAccount {
    /// `Id`.
    pub id: Scalar,
    /// `State`.
    pub state: Scalar,
    /// `Status`.
    pub status: Scalar,
    /// `Name`.
    pub name: Scalar,
    /// `Arn`.
    pub arn: Scalar,
}

/// The `Accounts` member: an array of entries, or some other value.
#[derive(Debug, Default)]
pub enum RawAccounts {
    /// The member is absent or not an array.
    #[default]
    NotArray,
    /// The array's elements, in order.
    List(Vec<RawAccount>),
}

/// A whole list-accounts file (only the members the audit uses).
#[derive(Debug, Default)]
pub struct RawList {
    /// `Accounts`.
    pub accounts: RawAccounts,
    /// `NextToken`.
    pub next_token: Scalar,
}

/// Drains whatever follows and yields `T::default()`: the visitor methods shared by values
/// that are read only when they have one expected shape.
macro_rules! default_for_other_shapes {
    ($t:ty) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$t, E> {
            Ok(<$t>::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
            Ok(<$t>::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$t, E> {
            Ok(<$t>::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<$t, E> {
            Ok(<$t>::default())
        }
    };
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(u64::try_from(v).map_or(Scalar::Other, Scalar::Unsigned))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        drain_seq(seq)?;
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        drain_map(map)?;
        Ok(Scalar::Other)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

struct AccountVisitor;

impl<'de> Visitor<'de> for AccountVisitor {
    type Value = RawAccount;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    default_for_other_shapes!(RawAccount);
    fn visit_str<E: de::Error>(self, _: &str) -> Result<RawAccount, E> {
        Ok(RawAccount::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawAccount, E> {
        Ok(RawAccount::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawAccount, A::Error> {
        drain_seq(seq)?;
        Ok(RawAccount::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAccount, A::Error> {
        let mut out = RawAccount::default();
        // A repeated member keeps its last value, as a JSON object read whole does.
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "Id" => &mut out.id,
                "State" => &mut out.state,
                "Status" => &mut out.status,
                "Name" => &mut out.name,
                "Arn" => &mut out.arn,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value()?;
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for RawAccount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawAccount, D::Error> {
        d.deserialize_any(AccountVisitor)
    }
}

struct AccountsVisitor;

impl<'de> Visitor<'de> for AccountsVisitor {
    type Value = RawAccounts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    default_for_other_shapes!(RawAccounts);
    fn visit_str<E: de::Error>(self, _: &str) -> Result<RawAccounts, E> {
        Ok(RawAccounts::NotArray)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawAccounts, E> {
        Ok(RawAccounts::NotArray)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawAccounts, A::Error> {
        drain_map(map)?;
        Ok(RawAccounts::NotArray)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAccounts, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(entry) = seq.next_element()? {
            list.push(entry);
        }
        Ok(RawAccounts::List(list))
    }
}

impl<'de> Deserialize<'de> for RawAccounts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawAccounts, D::Error> {
        d.deserialize_any(AccountsVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = RawList;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    default_for_other_shapes!(RawList);
    fn visit_str<E: de::Error>(self, _: &str) -> Result<RawList, E> {
        Ok(RawList::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawList, E> {
        Ok(RawList::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawList, A::Error> {
        drain_seq(seq)?;
        Ok(RawList::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawList, A::Error> {
        let mut out = RawList::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "Accounts" => out.accounts = map.next_value()?,
                "NextToken" => out.next_token = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for RawList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawList, D::Error> {
        d.deserialize_any(ListVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> RawList {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn only_the_used_fields_are_kept_each_as_its_scalar() {
        let l = read(
            r#"{"Accounts": [{"Id": 42, "State": {"x": [1]}, "Status": null, "Name": "n",
                "Email": "e@example.com", "Arn": true}], "NextToken": "t", "Other": [{}]}"#,
        );
        let RawAccounts::List(list) = l.accounts else {
            panic!("expected a list");
        };
        let a = &list[0];
        assert_eq!(a.id, Scalar::Unsigned(42));
        assert_eq!(a.state, Scalar::Other);
        assert_eq!(a.status, Scalar::Null);
        assert_eq!(a.name, Scalar::Text("n".into()));
        assert_eq!(a.arn, Scalar::Other);
        assert_eq!(l.next_token, Scalar::Text("t".into()));
    }

    #[test]
    fn other_shapes_read_as_absent_and_a_repeated_member_keeps_its_last_value() {
        assert!(matches!(read(r#"[1, 2]"#).accounts, RawAccounts::NotArray));
        assert!(matches!(
            read(r#"{"Accounts": {"Id": "1"}}"#).accounts,
            RawAccounts::NotArray
        ));
        let l = read(r#"{"Accounts": ["x", {"Id": "1", "Id": "2"}]}"#);
        let RawAccounts::List(list) = l.accounts else {
            panic!("expected a list");
        };
        assert_eq!(list[0].id, Scalar::Absent);
        assert_eq!(list[1].id, Scalar::Text("2".into()));
        assert_eq!(l.next_token, Scalar::Absent);
    }

    #[test]
    fn malformed_json_is_still_an_error() {
        assert!(serde_json::from_str::<RawList>(r#"{"Accounts": [{"Id": "1",}]}"#).is_err());
    }
}
