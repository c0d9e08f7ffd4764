//! Printable documents as PDF: a [`Document`] of a title, headings, paragraphs, key-value rows
//! and tables, laid out on A4 pages and written with `pdf-writer` (a typed writer from the
//! typst project: no PDF syntax is written by hand here). Text is set in Helvetica, one of the
//! PDF base-14 fonts every reader has, with WinAnsi encoding, so nothing is embedded and the
//! text reads back (`lopdf` in the tests). Evaluations print through it; the certificate of
//! completion and letters are meant to as well.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.35;

/// One block of a document, laid out top to bottom.
#[derive(Clone, Debug)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// Label and value rows ("Student: Ana Lopez").
    KeyValues(Vec<(String, String)>),
    /// A header row and rows of cells; columns share the width equally.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A document to print: its title (also the PDF's title) and its blocks.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Heading(text.into()));
        self
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    pub fn key_values(&mut self, rows: Vec<(String, String)>) -> &mut Self {
        self.blocks.push(Block::KeyValues(rows));
        self
    }

    pub fn table(&mut self, headers: Vec<String>, rows: Vec<Vec<String>>) -> &mut Self {
        self.blocks.push(Block::Table { headers, rows });
        self
    }

    /// The PDF's bytes.
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut layout = Layout::new();
        layout.text(&self.title, 16.0, true, MARGIN, PAGE_W - 2.0 * MARGIN);
        layout.gap(8.0);
        for block in &self.blocks {
            match block {
                Block::Heading(h) => {
                    layout.gap(6.0);
                    layout.text(h, 12.5, true, MARGIN, PAGE_W - 2.0 * MARGIN);
                    layout.gap(2.0);
                }
                Block::Paragraph(p) => {
                    for line in p.lines() {
                        layout.text(line, BODY, false, MARGIN, PAGE_W - 2.0 * MARGIN);
                    }
                    layout.gap(4.0);
                }
                Block::KeyValues(rows) => {
                    let label_w = 150.0;
                    for (k, v) in rows {
                        layout.row(&[
                            (k.as_str(), true, MARGIN, label_w - 8.0),
                            (
                                v.as_str(),
                                false,
                                MARGIN + label_w,
                                PAGE_W - 2.0 * MARGIN - label_w,
                            ),
                        ]);
                    }
                    layout.gap(4.0);
                }
                Block::Table { headers, rows } => {
                    let n = headers.len().max(1) as f32;
                    let col = (PAGE_W - 2.0 * MARGIN) / n;
                    let cells = |texts: &[String], bold: bool| -> Vec<(String, bool, f32, f32)> {
                        texts
                            .iter()
                            .enumerate()
                            .map(|(i, t)| (t.clone(), bold, MARGIN + col * i as f32, col - 8.0))
                            .collect()
                    };
                    let head = cells(headers, true);
                    layout.row(&borrow(&head));
                    layout.rule();
                    for r in rows {
                        let c = cells(r, false);
                        layout.row(&borrow(&c));
                    }
                    layout.gap(4.0);
                }
            }
        }
        layout.into_pdf(&self.title)
    }
}

fn borrow(cells: &[(String, bool, f32, f32)]) -> Vec<(&str, bool, f32, f32)> {
    cells
        .iter()
        .map(|(t, b, x, w)| (t.as_str(), *b, *x, *w))
        .collect()
}

/// Pages being filled: the full ones, the one being filled (there is always one), and the
/// cursor's height on it.
struct Layout {
    full: Vec<Content>,
    current: Content,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Layout {
            full: Vec::new(),
            current: Content::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) {
        if self.y - h < MARGIN {
            self.full
                .push(std::mem::replace(&mut self.current, Content::new()));
            self.y = PAGE_H - MARGIN;
        }
    }

    fn page(&mut self) -> &mut Content {
        &mut self.current
    }

    fn put(&mut self, x: f32, y: f32, size: f32, bold: bool, line: &str) {
        let font = if bold { Name(b"F2") } else { Name(b"F1") };
        let bytes = win_ansi(line);
        let c = self.page();
        c.begin_text();
        c.set_font(font, size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// A wrapped run of text across the width.
    fn text(&mut self, text: &str, size: f32, bold: bool, x: f32, width: f32) {
        for line in wrap(text, size, bold, width) {
            self.room(size * LEADING);
            self.y -= size * LEADING;
            let y = self.y;
            self.put(x, y, size, bold, &line);
        }
    }

    /// Cells side by side, each wrapped in its column; the row is as tall as its tallest cell.
    fn row(&mut self, cells: &[(&str, bool, f32, f32)]) {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .map(|(t, bold, _, w)| wrap(t, BODY, *bold, *w))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * BODY * LEADING;
        self.room(h);
        let top = self.y;
        for ((_, bold, x, _), ls) in cells.iter().zip(&wrapped) {
            for (i, l) in ls.iter().enumerate() {
                let y = top - (i as f32 + 1.0) * BODY * LEADING;
                self.put(*x, y, BODY, *bold, l);
            }
        }
        self.y = top - h - 2.0;
    }

    fn rule(&mut self) {
        let y = self.y + 1.0;
        let c = self.page();
        c.set_line_width(0.5);
        c.move_to(MARGIN, y);
        c.line_to(PAGE_W - MARGIN, y);
        c.stroke();
        self.y -= 2.0;
    }

    fn into_pdf(mut self, title: &str) -> Vec<u8> {
        self.full.push(self.current);
        let pages = self.full;
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let mut next = 6;
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        let ids: Vec<(Ref, Ref)> = pages
            .iter()
            .map(|_| {
                let ids = (Ref::new(next), Ref::new(next + 1));
                next += 2;
                ids
            })
            .collect();
        pdf.pages(tree)
            .kids(ids.iter().map(|(page, _)| *page))
            .count(ids.len() as i32);
        for ((page_id, content_id), content) in ids.iter().zip(pages) {
            let mut page = pdf.page(*page_id);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .contents(*content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(b"F1"), regular);
            fonts.pair(Name(b"F2"), bold);
            fonts.finish();
            resources.finish();
            page.finish();
            let data = content.finish();
            pdf.stream(*content_id, &data);
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Practicum"));
        pdf.finish()
    }
}

/// Helvetica's advance widths (per 1000 em) for ASCII 32..=126, from its AFM metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

fn width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            let i = c as u32;
            if (32..=126).contains(&i) {
                u32::from(HELVETICA[(i - 32) as usize])
            } else {
                556
            }
        })
        .sum();
    // Helvetica-Bold runs a little wider; measuring it so keeps lines inside the column.
    let factor = if bold { 1.08 } else { 1.0 };
    units as f32 / 1000.0 * size * factor
}

/// Breaks text into lines that fit `max` points, at spaces (a word longer than a line is cut).
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word.to_string();
        while width(&rest, size, bold) > max && rest.chars().count() > 1 {
            let mut cut = String::new();
            for c in rest.chars() {
                if width(&format!("{cut}{c}"), size, bold) > max {
                    break;
                }
                cut.push(c);
            }
            if cut.is_empty() {
                cut = rest.chars().next().map(String::from).unwrap_or_default();
            }
            rest = rest[cut.len()..].to_string();
            lines.push(cut);
        }
        line = rest;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text as WinAnsi bytes (the base-14 fonts' encoding): Latin-1 as is, the common typographic
/// marks to their WinAnsi places, anything else as '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2026}' => 0x85,
            '\u{20ac}' => 0x80,
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_inside_the_width_and_keeps_every_word() {
        let text = "acknowledging is not agreeing ".repeat(20);
        let lines = wrap(&text, BODY, false, 200.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(width(l, BODY, false) <= 200.0, "{l}");
        }
        assert_eq!(lines.join(" "), text.trim());
    }

    #[test]
    fn a_document_is_a_pdf_with_a_page_per_screenful() {
        let mut d = Document::new("Midterm evaluation");
        for i in 0..200 {
            d.paragraph(format!("Line {i}"));
        }
        let bytes = d.to_pdf();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(d.blocks.len() == 200);
    }

    #[test]
    fn latin_text_keeps_its_letters() {
        assert_eq!(
            win_ansi("José – ok"),
            vec![b'J', b'o', b's', 0xe9, b' ', 0x96, b' ', b'o', b'k']
        );
        assert_eq!(win_ansi("日"), b"?");
    }
}
