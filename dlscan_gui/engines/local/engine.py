"""The offline Recognizer: locate and flatten the page(s), read them, pick the fields by their
labels, repair them with field knowledge, and answer in the Huawei result schema."""

from __future__ import annotations

import logging

import cv2
import numpy as np

from dlscan_gui.core.card import Page, locate_card, page_quads, rectify, rectify_pages
from dlscan_gui.core.errors import RecognitionError
from dlscan_gui.core.imaging import LoadedImage
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.engines.base import ImageUrl
from dlscan_gui.engines.local import cross_check, layout, repair
from dlscan_gui.engines.local.address_check import recheck_city
from dlscan_gui.engines.local.class_code import read_class
from dlscan_gui.engines.local.fields import (
    LABEL_COLUMN,
    RawField,
    compact,
    extract,
    find_by_shape,
)
from dlscan_gui.engines.local.name_agree import joint_name
from dlscan_gui.engines.local.name_check import recheck_given_name, recheck_surname
from dlscan_gui.engines.local.name_place import name_by_place
from dlscan_gui.engines.local.number_check import recheck_number
from dlscan_gui.engines.local.ocr import OcrRunner, TextBox
from dlscan_gui.engines.local.page_geometry import (
    SUBLABEL_H,
    TITLE_BAND,
    order_corners,
    overlap,
    print_only,
    small_print,
    snap_outline,
    widen,
)
from dlscan_gui.engines.local.page_reading import REPAIRED_CONFIDENCE, PageReading
from dlscan_gui.engines.local.record import (
    fits_templates,
    is_record_sentence,
    normalize_record,
)
from dlscan_gui.engines.local.record_read import BARCODE_Y, read_record_rows, read_unseen_rows
from dlscan_gui.engines.local.sides import (
    UPRIGHT_ENOUGH,
    has_title,
    label_hits,
    side_known,
    side_of,
    side_votes,
    titles_side_by_side,
    upright_evidence,
)
from dlscan_gui.engines.local.validity import validity_dates
from dlscan_gui.engines.local.values import (
    HAS_CJK,
    clean_address,
    clean_name,
    clean_nationality,
)

log = logging.getLogger(__name__)

MIN_FACING_LINES = 4  # text lines that make a region beside a page its facing page
# Labels, value shapes and the title (2) a facing page must show: the title and the number
# are enough (its small labels may all blur away); desk texture shows none of them.
FACING_EVIDENCE = 3
BOOKLET_VOTES = (2, 1)  # front and back words on one page: both pages were read as one
# A page missing one of these fields gets a second look: the whole rows it finds again are
# the dated rows, the number and the record (a lost class code or a misread name is rarely a
# line the detector missed, and pages missing only those are common on poor photos).
FRONT_FIELDS = ("number", "birth", "issue_date", "valid_from", "valid_to")
BACK_FIELDS = ("number", "file_number", "record")
MIN_FIELDS_WITHOUT_ID = 3  # fields a page with neither number nor name must give
# ... a back page, which has but four (its file number and record are the licence's own)
MIN_BACK_FIELDS_WITHOUT_ID = 2
SEEN_OVERLAP = 0.5  # a detected line overlapping a line already read by more is that line
INK_CONTRAST = 45  # this much darker than the paper around it (brightest channel) is print
MISSED_INK = 0.003  # share of the record's band in print no read line covers


class LocalRecognizer:
    name = "local"

    def __init__(self, ocr: OcrRunner | None = None) -> None:
        self.ocr = ocr or OcrRunner()

    def warm_up(self) -> None:
        self.ocr.warm_up()

    # ------------------------------------------------------------------ pages
    def _pages(self, pixels: np.ndarray) -> list[Page]:
        location = locate_card(pixels)
        if location is None:
            return [self._page_from_text(pixels)]
        if not location.double_page:
            return rectify_pages(pixels, location)
        # The booklet's halves: each page's own outline where the wallet shows one (the pages
        # need not meet in the middle of the wallet).
        return [rectify(pixels, snap_outline(pixels, quad)) for quad in page_quads(location)]

    def _page_from_text(self, pixels: np.ndarray) -> Page:
        """No card edge: the text itself says where the card is."""
        h, w = pixels.shape[:2]
        scale = min(1.0, 1600 / max(h, w))
        small = cv2.resize(pixels, (round(w * scale), round(h * scale)),
                           interpolation=cv2.INTER_AREA) if scale < 1 else pixels
        lines = self.ocr.detect_and_read(small)
        if not lines:
            raise RecognitionError("AIS.0104", "no text found")
        points = np.concatenate([line.quad for line in lines]) / scale
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(points.astype(np.float32))
        # Text sits inside the card's margins: grow the text's box to the page's outline.
        quad = cv2.boxPoints(((cx, cy), (rw * 1.08, rh * 1.12), angle))
        quad = order_corners(quad)
        width = np.linalg.norm(quad[1] - quad[0])
        height = np.linalg.norm(quad[3] - quad[0])
        if height > width:
            quad = np.roll(quad, -1, axis=0)
        return rectify(pixels, quad)

    def _read(self, page: Page) -> list[TextBox]:
        """The page's text lines, less what is rarely needed: English sublabels (small print)
        are never read, the title band only when the rest does not tell the page's side and
        that it is upright (upside down, the band holds the last rows instead)."""
        image = print_only(page.image)
        h, w = image.shape[:2]
        quads = [q for q in self.ocr.detect(image) if not small_print(q, w, h)]
        in_band = [q[:, 1].max() < TITLE_BAND * h for q in quads]
        lines = self.ocr.read_quads(image, [q for q, top in zip(quads, in_band, strict=True)
                                            if not top])
        if not side_known(lines) or upright_evidence(lines) < UPRIGHT_ENOUGH:
            lines += self.ocr.read_quads(image, [q for q, top in zip(quads, in_band, strict=True)
                                                 if top])
        return lines

    def _read_page(self, page: Page) -> tuple[Page, list[TextBox]]:
        """OCR the page; if it reads like nothing on a licence, it is upside down."""
        lines = self._read(page)
        evidence = upright_evidence(lines)
        if evidence >= UPRIGHT_ENOUGH:
            return page, lines
        flipped = page.rotated_180()
        flipped_lines = self._read(flipped)
        if upright_evidence(flipped_lines) > evidence:
            return flipped, flipped_lines
        return page, lines

    def _facing_page(self, pixels: np.ndarray, reading: PageReading) -> PageReading | None:
        """The booklet's other page, when only one page's outline was found: the front page
        lies left of the back page (in page coordinates, so any rotation is handled)."""
        h, w = reading.page.image.shape[:2]
        shift = -w if reading.side is Side.BACK else w
        corners = np.float32([[shift, 0], [shift + w - 1, 0], [shift + w - 1, h - 1],
                              [shift, h - 1]])
        quad = reading.page.map_to_original(corners)
        ih, iw = pixels.shape[:2]
        slack = 0.02 * max(ih, iw)
        if (quad[:, 0].min() < -slack or quad[:, 1].min() < -slack
                or quad[:, 0].max() > iw - 1 + slack or quad[:, 1].max() > ih - 1 + slack):
            return None
        page = rectify(pixels, snap_outline(pixels, quad))
        if len(self.ocr.detect(print_only(page.image))) < MIN_FACING_LINES:
            return None  # desk, not a page
        page, lines = self._read_page(page)
        facing = PageReading(page, lines, side_of(lines))
        if facing.side is reading.side or upright_evidence(lines) < FACING_EVIDENCE:
            return None
        return facing

    def _split_booklet(self, pixels: np.ndarray, reading: PageReading) -> list[PageReading] | None:
        """Both pages read as one: an opened booklet seen at a slant is foreshortened to a
        single page's shape, and the page then holds both sides' labels. Its halves (in page
        coordinates, so the split follows the perspective) are read as the two pages; kept
        only when they read as a front and a back. Where the page shows both titles side by
        side (its small labels too blurred to vote), the left half is the front and the right
        the back, as the titles stand."""
        front_votes, back_votes = side_votes(reading.lines)
        titled = titles_side_by_side(reading.lines)
        if not titled and (front_votes < BOOKLET_VOTES[0] or back_votes < BOOKLET_VOTES[1]):
            return None
        h, w = reading.page.image.shape[:2]
        middle = (w - 1) / 2
        halves = []
        for x0, x1 in ((0, middle), (middle, w - 1)):
            corners = np.float32([[x0, 0], [x1, 0], [x1, h - 1], [x0, h - 1]])
            quad = reading.page.map_to_original(corners)
            page, lines = self._read_page(rectify(pixels, snap_outline(pixels, quad)))
            halves.append(PageReading(page, lines, side_of(lines)))
        if titled:
            halves[0].side, halves[1].side = Side.FRONT, Side.BACK
            return halves
        if {r.side for r in halves} != {Side.FRONT, Side.BACK} or not all(
                side_known(r.lines) for r in halves):
            return None
        return halves

    # ------------------------------------------------------------------ fields
    def _fields(self, reading: PageReading, *, with_authority: bool) -> None:
        self._page_fields(reading)
        if not _complete(reading):
            self._second_look(reading)
        if reading.side is Side.FRONT:
            # After the second look, so that a page read twice has its city read once.
            self._check_city(reading)
        if reading.side is Side.BACK and ("record" not in reading.fields or reading.unread_ink):
            self._unseen_record(reading)
        self._name_by_place(reading)
        self._check_surname(reading)
        if reading.side is Side.FRONT:
            # A lone D is also what the box reads as when its code washed out (the frame is
            # a D's outline: 70074, 79072): kept only where the box's own reading says D too.
            bare_d = reading.fields.get("class") == "D"
            if "class" not in reading.fields or bare_d:
                found_class = read_class(reading.page.image, self.ocr)
                if bare_d and (found_class is None or found_class[0] != "D"):
                    for store in (reading.fields, reading.confidence, reading.quads):
                        store.pop("class", None)
                if found_class is not None and "class" not in reading.fields:
                    code, score, quad = found_class
                    self._put(reading, "class", code, score, quad, repaired=True)
            if with_authority:
                from dlscan_gui.engines.local.seal import (
                    address_warning,
                    read_seal,
                    unclear_warning,
                )

                found = read_seal(reading.page.image, self.ocr, reading.fields.get("address"))
                if found is not None:
                    self._put(reading, "issuing_authority", found.name, found.confidence,
                              found.quad)
                    if found.by_address:
                        reading.notes.append(address_warning())
                    elif not found.borne_out:
                        reading.notes.append(unclear_warning())

    def _unseen_record(self, reading: PageReading) -> None:
        """No line of the record was detected (nor its label, or only the label, with print
        after it that no line covers): its rows are read where the layout puts them, under
        the name row. Where they read as no sentence, an empty record stays empty: the print
        may be handwriting beside it (30168)."""
        name = reading.quads.get("name")
        if name is None:
            return
        found = read_unseen_rows(reading.page.image, name, reading.quads.get("number"),
                                 self.ocr)
        if found is not None:
            self._put(reading, "record", found[0], found[1], found[2], repaired=True)

    def _agree_on_name(self, front: PageReading, back: PageReading) -> None:
        names = [front.fields.get("name"), back.fields.get("name")]
        quads = [front.quads.get("name"), back.quads.get("name")]
        if names[0] == names[1] or not all(names) or any(q is None for q in quads):
            return
        found = joint_name([front.page.image, back.page.image], quads, names, self.ocr)
        if found is not None:
            for reading, quad in zip((front, back), quads, strict=True):
                self._put(reading, "name", found[0], found[1], quad, repaired=True)

    def _name_by_place(self, reading: PageReading) -> None:
        """A name whose label did not read, taken from the row below the number."""
        number = reading.quads.get("number")
        if "name" in reading.fields or number is None:
            return
        found = name_by_place(reading.page.image, reading.lines, number, self.ocr)
        if found is not None:
            self._put(reading, "name", found[0], found[1], found[2], repaired=True)

    def _check_surname(self, reading: PageReading) -> None:
        name, quad = reading.fields.get("name"), reading.quads.get("name")
        if name is None or quad is None:
            return
        fixed = recheck_surname(reading.page.image, quad, name, self.ocr)
        if fixed is not None:
            self._put(reading, "name", fixed[0], fixed[1], quad, repaired=True)
            name = fixed[0]
        fixed = recheck_given_name(reading.page.image, quad, name, self.ocr)
        if fixed is not None:
            self._put(reading, "name", fixed[0], fixed[1], quad, repaired=True)

    def _page_fields(self, reading: PageReading) -> None:
        raw = extract(reading.lines, reading.page.image.shape[1])
        if reading.side is Side.FRONT:
            self._front_fields(reading, raw)
        else:
            self._back_fields(reading, raw)

    def _second_look(self, reading: PageReading) -> None:
        """A field is missing: text detection, run once more on the page in colour (the first
        run sees the print only), finds a line it missed now and then (a row beside the seal,
        a blurred row at the page's edge). Only lines not found before are read; the fields
        are then taken again, and kept if more of them were found."""
        image = reading.page.image
        h, w = image.shape[:2]
        known = [line.quad for line in reading.lines]
        new = [q for q in self.ocr.detect(image)
               if not small_print(q, w, h) and q[:, 1].max() >= TITLE_BAND * h
               and not any(overlap(q, other) > SEEN_OVERLAP for other in known)]
        if not new:
            return
        # These are the lines the detector finds hard to see: its box often clips the first
        # character (a date's leading 2 under the seal's frame), so each is read a little wider.
        added = self.ocr.read_quads(print_only(image), [widen(q, w) for q in new])
        if not added:
            return
        again = PageReading(reading.page, reading.lines + added, reading.side)
        self._page_fields(again)
        if _filled(again) > _filled(reading):
            reading.lines, reading.fields = again.lines, again.fields
            reading.confidence, reading.quads = again.confidence, again.quads
            reading.notes, reading.address_line = again.notes, again.address_line

    @staticmethod
    def _put(reading: PageReading, key: str, value: str | None, score: float,
             quad: np.ndarray | None, *, repaired: bool = False) -> None:
        if not value:
            return
        reading.fields[key] = value
        reading.confidence[key] = max(0.0, min(1.0, score * (REPAIRED_CONFIDENCE if repaired
                                                             else 1.0)))
        if quad is not None:
            reading.quads[key] = quad

    def _number(self, reading: PageReading, raw: dict[str, RawField], birth: str | None) -> None:
        source = raw.get("number")
        if source is None or repair.repair_id_number(source.text, birth=birth) is None:
            # A stray letter before or after it belongs to the run: the repair sorts it out.
            source = find_by_shape(reading.lines, r"[0-9A-Za-z]{17,19}[0-9Xx]") or source
        if source is None:
            return
        value = repair.repair_id_number(source.text, birth=birth)
        repaired = value is not None and value != compact(source.text).upper()
        score, quad = source.score, source.quad()
        if value is None and quad is not None:
            # Any one character misread: the crop decides among the numbers that pass.
            found = recheck_number(reading.page.image, quad, source.text, self.ocr, birth=birth)
            if found is not None:
                (value, score), repaired = found, True
        self._put(reading, "number", value, score, quad, repaired=repaired)

    def _front_fields(self, reading: PageReading, raw: dict[str, RawField]) -> None:
        put = self._put
        h, w = reading.page.image.shape[:2]
        by_layout = layout.front_by_layout(reading.lines, w, h)
        for key, value in by_layout.items():
            if key != "valid_from" or "validity" not in raw:
                raw.setdefault(key, value)
        name_row = by_layout.get("name_row")
        if name_row is not None and not {"name", "sex", "nationality"} <= raw.keys():
            for key, value in zip(("name", "sex", "nationality"),
                                  layout.split_name_row(name_row.text), strict=True):
                if value and key not in raw:
                    raw[key] = RawField(value, list(name_row.boxes), [value])
        birth_raw = raw.get("birth")
        birth = repair.normalize_date(birth_raw.text) if birth_raw else None
        self._number(reading, raw, birth)
        number = reading.fields.get("number")
        for key, clean in (("name", clean_name), ("sex", repair.normalize_sex),
                           ("nationality", clean_nationality), ("address", clean_address),
                           ("birth", lambda text: repair.birth_from(text, number)),
                           ("issue_date", repair.normalize_date),
                           ("class", repair.normalize_class)):
            source = raw.get(key)
            if source is None:
                continue
            for candidate in source.candidates():
                value = clean(candidate.text)
                if value:
                    put(reading, key, value, candidate.score, candidate.quad())
                    break
        for key, value, source, repaired in validity_dates(
                raw.get("validity"), raw.get("valid_from"), reading.fields.get("issue_date")):
            put(reading, key, value, source.score, source.quad(), repaired=repaired)
        address = raw.get("address")
        if address is not None and address.boxes:
            reading.address_line = address.boxes[0].quad

    def _check_city(self, reading: PageReading) -> None:
        address = reading.fields.get("address")
        if address is None or reading.address_line is None:
            return
        fixed = recheck_city(reading.page.image, reading.address_line, address, self.ocr)
        if fixed is not None:
            self._put(reading, "address", fixed[0], fixed[1], reading.quads.get("address"),
                      repaired=True)

    def _back_fields(self, reading: PageReading, raw: dict[str, RawField]) -> None:
        self._number(reading, raw, None)
        name = raw.get("name")
        if name is not None:
            self._put(reading, "name", clean_name(name.text), name.score, name.quad())
        # Its label lost, the file number is still the 12 digits above the barcode: the
        # barcode's own digits, read 12 long, are not it (79031).
        above_barcode = [line for line in reading.lines
                         if line.y0 < BARCODE_Y * reading.page.image.shape[0]]
        # A label misread as digits runs into it once spaces are dropped ("5869 360765078992").
        file_number = (raw.get("file_number")
                       or find_by_shape(above_barcode, r"(?<!\d)\d{12}(?!\d)")
                       or find_by_shape(above_barcode, r"(?<!\d)\d{12}(?!\d)",
                                        keep_spaces=True))
        if file_number is not None:
            self._put(reading, "file_number", repair.normalize_file_number(file_number.text),
                      file_number.score, file_number.quad())
        record = raw.get("record") or _unlabelled_record(reading.lines,
                                                          reading.page.image.shape[0])
        if record is not None:
            record = _record_only(record, reading.page.image.shape[0])
            if record.text:
                text = normalize_record(record.parts)
                if not fits_templates(text):
                    # A sentence too garbled for its template: the rows read against them.
                    text = read_record_rows(reading.page.image, record.boxes, self.ocr) or text
                self._put(reading, "record", text, record.score, record.quad(),
                          repaired=text != record.text)
            else:  # the label with nothing after it: the record is printed empty
                reading.fields["record"] = ""
                reading.unread_ink = _unread_record_ink(reading)

    # ------------------------------------------------------------------ contract
    def recognize(self, image: LoadedImage | ImageUrl, *, side: Side = Side.AUTO,
                  return_issuing_authority: bool = False,
                  return_text_location: bool = False) -> RecognitionResult:
        if isinstance(image, ImageUrl):
            raise RecognitionError("AIS.0101", "the offline engine reads image files, not URLs")
        readings = []
        for page in self._pages(image.pixels):
            page, lines = self._read_page(page)
            readings.append(PageReading(page, lines, side_of(lines)))
        if len(readings) == 1 and side not in (Side.FRONT, Side.BACK):
            halves = self._split_booklet(image.pixels, readings[0])
            if halves is not None:
                readings = halves
            else:
                other = self._facing_page(image.pixels, readings[0])
                if other is not None:
                    readings.append(other)
        chosen = _choose(readings, side)
        for reading in chosen:
            self._fields(reading, with_authority=return_issuing_authority)
        if not any(_shows_licence(r) for r in chosen):
            raise RecognitionError("AIS.0104", "no licence fields found")
        if len(chosen) == 1:
            cross_check.issue_after_sixteen(chosen[0])
            cross_check.from_number(chosen[0])
            cross_check.first_period(chosen[0])
            return chosen[0].result(return_text_location)
        front = next(r for r in chosen if r.side is Side.FRONT)
        back = next(r for r in chosen if r.side is Side.BACK)
        self._agree_on_name(front, back)
        cross_check.agree(front, back)
        cross_check.dates_from_probation(front, back)
        cross_check.issue_after_sixteen(front)
        cross_check.expiry_from_record(front, back)
        cross_check.first_period(front)
        cross_check.record_from_front(front, back)
        cross_check.from_number(front)
        return RecognitionResult(side=Side.DOUBLE_SIDE,
                                 front=front.result(return_text_location),
                                 back=back.result(return_text_location))


def _choose(readings: list[PageReading], side: Side) -> list[PageReading]:
    """The page(s) the caller asked for; an explicit side is honoured even where the page
    looks like the other one."""
    if side in (Side.FRONT, Side.BACK):
        match = [r for r in readings if r.side is side] or readings[:1]
        match[0].side = side
        return match[:1]
    fronts = [r for r in readings if r.side is Side.FRONT]
    backs = [r for r in readings if r.side is Side.BACK]
    if fronts and backs:
        return [fronts[0], backs[0]]
    if side is Side.DOUBLE_SIDE and len(readings) == 2:
        readings[0].side, readings[1].side = Side.FRONT, Side.BACK
        return readings
    return readings[:1]


def _shows_licence(reading: PageReading) -> bool:
    """The page is a licence to give fields for: its number or name read, or (both lost in a
    blurred photo) a licence's title or labels and several fields, which the clerk keeps,
    typing in the rest (79111 read seven fields right and used to be refused)."""
    if reading.fields.get("number") or reading.fields.get("name"):
        return True
    licence_words = has_title(reading.lines) or label_hits(reading.lines) > 0
    least = MIN_FIELDS_WITHOUT_ID if reading.side is Side.FRONT else MIN_BACK_FIELDS_WITHOUT_ID
    return licence_words and _filled(reading) >= least


def _complete(reading: PageReading) -> bool:
    """Every field the second look can find was read (an empty record counts, unless there is
    print in the record's place that no line read: a record line the detector missed)."""
    wanted = FRONT_FIELDS if reading.side is Side.FRONT else BACK_FIELDS
    return all(key in reading.fields for key in wanted) and not reading.unread_ink


def _unread_record_ink(reading: PageReading) -> bool:
    """Dark print between the name row and the barcode that none of the page's lines covers."""
    image = reading.page.image
    h, w = image.shape[:2]
    top = max((float(q[:, 1].max()) for key, q in reading.quads.items()
               if key in ("number", "name", "file_number")), default=TITLE_BAND * h)
    bottom = int(BARCODE_Y * h)
    if bottom - top < 10:
        return False
    gray = print_only(image)[:, :, 0]
    # Strokes darker than the paper around them (a black-hat), whatever the light's falloff.
    strokes = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((31, 31), np.uint8))
    dark = (strokes > INK_CONTRAST).astype(np.uint8)
    for line in reading.lines:  # what was read is no missed line
        x0, y0 = np.maximum(line.quad.min(axis=0) - 4, 0).astype(int)
        x1, y1 = (line.quad.max(axis=0) + 4).astype(int)
        dark[y0:y1, x0:x1] = 0
    # Right of the label column (its small English sublabels are never read) and below the
    # sublabels of the row above.
    band = dark[int(top + SUBLABEL_H * h): bottom, int(LABEL_COLUMN * w): int(0.92 * w)]
    return float(band.mean()) > MISSED_INK


def _filled(reading: PageReading) -> int:
    return sum(bool(value) for value in reading.fields.values())


def _unlabelled_record(lines: list[TextBox], page_height: int) -> RawField | None:
    """The record's sentences where its 记录 label did not read: lines that fit a record
    template, top to bottom."""
    found = RawField("")
    for line in sorted(lines, key=lambda box: box.y0):
        if line.y0 < BARCODE_Y * page_height and is_record_sentence(line.text):
            found.add(compact(line.text), line)
    return found if found.parts else None


def _record_only(record: RawField, page_height: int) -> RawField:
    """The record's own lines: every record line is Chinese text above the barcode, so a pen
    note read as Latin letters and the barcode's digits are dropped."""
    kept = RawField("")
    for part, box in zip(record.parts, record.boxes, strict=True):
        if HAS_CJK.search(part) and box.y0 < BARCODE_Y * page_height:
            kept.add(part, box)
    return kept
