//! Share links: any text as the page's fragment through `share::from_fragment` (what the app does on opening a
//! link), and the percent coding on its own: decoding never panics, and encoding any text decodes back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smallbms_core::share::{self, SHARE_PREFIX};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let _ = share::from_fragment(text);
    let hash = format!("{SHARE_PREFIX}{text}");
    if let Some(Ok(doc)) = share::from_fragment(&hash) {
        assert_eq!(share::from_fragment(&share::fragment(&doc)), Some(Ok(doc)));
    }
    if let Ok(decoded) = share::percent_decode(text) {
        assert_eq!(
            share::percent_decode(&share::percent_encode(&decoded)).as_deref(),
            Ok(decoded.as_str())
        );
    }
    let encoded = share::percent_encode(text);
    assert!(encoded
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)));
    assert_eq!(share::percent_decode(&encoded).as_deref(), Ok(text));
});
